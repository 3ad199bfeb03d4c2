package io.cdcmedallion.quality;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.gold.BuiltinGoldTables;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineListener;
import io.cdcmedallion.silver.SilverResult;
import io.cdcmedallion.testing.History;
import io.cdcmedallion.testing.SparkTestBase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expectations in silver and gold runs: nothing lost, {@code fail} writes nothing, every step is in
 * the run log.
 */
class QualityPipelineTest extends SparkTestBase {
  private static final String STATUS_COUNTS =
      "SELECT status, COUNT(*) AS n FROM silver_orders GROUP BY status";

  /** Line 7 holds known_status's expr, line 14 few_orders's expr. */
  private static PipelineConfig config(String silverAction, String goldAction) {
    String yaml =
        """
        entities:
          - name: orders
            keys: [order_id]
            expectations:
              - {name: non_negative_total, expr: total >= 0, action: drop}
              - name: known_status
                expr: "status IN ('new', 'paid')"
                action: %s
        gold:
          - name: status_counts
            sql: status_counts.sql
            expectations:
              - name: few_orders
                expr: n < 3
                action: %s
        """
            .formatted(silverAction, goldAction);
    return new ConfigLoader(BuiltinGoldTables.names())
        .parse(yaml, "shop.yml", path -> Optional.of(STATUS_COUNTS));
  }

  private static final TableName BRONZE = new TableName("main", "bronze", "lb_orders_history");
  private static final TableName SILVER = new TableName("main", "silver", "silver_orders");
  private static final TableName QUARANTINE = new TableName("main", "silver", "quarantine_orders");
  private static final TableName GOLD = new TableName("main", "gold", "status_counts");
  private static final TableName GOLD_QUARANTINE =
      new TableName("main", "gold", "quarantine_status_counts");
  private static final TableName RUN_LOG = new TableName("main", "gold", "_medallion_runs");

  @BeforeAll
  static void bronze() {
    History.cookbook("order_id INT, status STRING, total DECIMAL(6,2)")
        .insert(1, 1, "new", dec(10))
        .update(2, row(1, "new", dec(10)), row(1, "paid", dec(-10)))
        .insert(3, 2, "lost", dec(5))
        .insert(4, 3, "new", dec(-1))
        .insert(5, 4, "new", dec(7))
        // Deletes and pre-images carry old values and are not checked: a negative total here
        // must not keep order 4 alive.
        .delete(6, 4, "new", dec(-3))
        .insert(7, 5, "paid", dec(1))
        .insert(8, 6, "paid", dec(2))
        .insert(9, 7, "paid", dec(3))
        .writeTo(spark, BRONZE);
  }

  private static BigDecimal dec(int value) {
    return new BigDecimal(value).setScale(2);
  }

  private static List<String> strings(String sql) {
    return rows(sql).stream().map(Row::toString).toList();
  }

  @Test
  void everyBronzeRowIsKeptOrQuarantinedAndEachStepIsLogged() {
    MedallionPipeline pipeline =
        MedallionPipeline.logged(spark, config("warn", "drop"), PipelineListener.none(), "test");
    String runId = pipeline.run().runId();

    SilverResult silver = pipeline.silver(Optional.empty()).get(0);
    pipeline.gold(Optional.empty());

    assertThat(strings("SELECT * FROM " + SILVER.quoted() + " ORDER BY order_id"))
        .containsExactly(
            "[1,new,10.00]", "[2,lost,5.00]", "[5,paid,1.00]", "[6,paid,2.00]", "[7,paid,3.00]");
    Dataset<Row> quarantined = spark.table(QUARANTINE.quoted()).filter("_run_id = '" + runId + "'");
    assertThat(
            quarantined
                .selectExpr("order_id", "status", "total", "_change_type", "_failed_expectations")
                .orderBy("order_id")
                .collectAsList()
                .toString())
        .isEqualTo(
            "[[1,paid,-10.00,update_postimage,ArraySeq(non_negative_total)],"
                + " [3,new,-1.00,insert,ArraySeq(non_negative_total)]]");
    QualityReport report = pipeline.run().reportFor(SILVER.toString()).orElseThrow();
    Dataset<Row> bronze = spark.table(BRONZE.quoted());
    long keptRows =
        bronze
            .exceptAll(quarantined.drop("_failed_expectations", "_run_id", "_quarantined_at"))
            .count();
    assertThat(silver.historyRows()).isEqualTo(bronze.count()).isEqualTo(10);
    assertThat(report.rowsKept()).isEqualTo(keptRows).isEqualTo(8);
    assertThat(report.rowsIn())
        .as("rows in = rows kept + rows quarantined")
        .isEqualTo(report.rowsKept() + quarantined.count());

    assertThat(strings("SELECT * FROM " + GOLD.quoted() + " ORDER BY status"))
        .containsExactly("[lost,1]", "[new,1]");
    assertThat(
            strings(
                "SELECT status, n, _failed_expectations, _run_id = '"
                    + runId
                    + "' FROM "
                    + GOLD_QUARANTINE.quoted()))
        .containsExactly("[paid,3,ArraySeq(few_orders),true]");

    assertThat(
            strings(
                "SELECT command, step, target, table_name, mode, rows_in, rows_out,"
                    + " rows_quarantined, status, error, ended_at >= started_at,"
                    + " to_json(expectations) FROM "
                    + RUN_LOG.quoted()
                    + " WHERE run_id = '"
                    + runId
                    + "' ORDER BY started_at"))
        .containsExactly(
            "[test,silver,orders,main.silver.silver_orders,full_refresh,10,5,2,succeeded,null,true,"
                + "[{\"name\":\"contract_null_key\",\"action\":\"fail\",\"passed\":10,\"failed\":0,\"dropped\":0},"
                + "{\"name\":\"contract_null_sequence\",\"action\":\"fail\",\"passed\":10,\"failed\":0,\"dropped\":0},"
                + "{\"name\":\"contract_unknown_change_type\",\"action\":\"fail\",\"passed\":10,\"failed\":0,\"dropped\":0},"
                + "{\"name\":\"non_negative_total\",\"action\":\"drop\",\"passed\":6,\"failed\":2,\"dropped\":2},"
                + "{\"name\":\"known_status\",\"action\":\"warn\",\"passed\":7,\"failed\":1,\"dropped\":0}]]",
            "[test,gold,status_counts,main.gold.status_counts,full_refresh,3,2,1,succeeded,null,true,"
                + "[{\"name\":\"few_orders\",\"action\":\"drop\",\"passed\":2,\"failed\":1,\"dropped\":1}]]");
  }

  @Test
  void aFailingExpectationLeavesSilverGoldAndQuarantineUntouchedAndIsLogged() {
    MedallionPipeline first =
        new MedallionPipeline(spark, config("warn", "warn"), PipelineListener.none());
    first.silver(Optional.empty());
    first.gold(Optional.empty());
    List<TableName> targets = List.of(SILVER, QUARANTINE, GOLD);
    List<Long> versions = targets.stream().map(t -> version(t)).toList();
    List<List<String>> contents = targets.stream().map(t -> all(t)).toList();

    MedallionPipeline failing =
        MedallionPipeline.logged(spark, config("fail", "fail"), PipelineListener.none(), "run");
    assertThatThrownBy(() -> failing.silver(Optional.empty()))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Expectation 'known_status' (status IN ('new', 'paid')) failed on 1 of 10 rows of"
                + " main.bronze.lb_orders_history (e.g. order_id=2); the run stopped before"
                + " writing anything. Fix those rows at the source, or set 'action: warn' or"
                + " 'action: drop' for it at shop.yml:7.");
    assertThatThrownBy(() -> failing.gold(Optional.empty()))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Expectation 'few_orders' (n < 3) failed on 1 of 3 rows of main.gold.status_counts"
                + " (e.g. status=paid n=3); the run stopped before writing anything. Fix those"
                + " rows at the source, or set 'action: warn' or 'action: drop' for it at"
                + " shop.yml:14.");

    assertThat(targets.stream().map(t -> version(t)).toList()).isEqualTo(versions);
    assertThat(targets.stream().map(t -> all(t)).toList()).isEqualTo(contents);
    assertThat(
            strings(
                "SELECT step, status, rows_out, error LIKE 'Expectation %', expectations[4].failed"
                    + " FROM "
                    + RUN_LOG.quoted()
                    + " WHERE run_id = '"
                    + failing.run().runId()
                    + "' AND step = 'silver'"))
        .containsExactly("[silver,failed,0,true,1]");
    assertThat(
            strings(
                "SELECT step, status, error FROM "
                    + RUN_LOG.quoted()
                    + " WHERE run_id = '"
                    + failing.run().runId()
                    + "' AND step = 'gold'"))
        .containsExactly(
            "[gold,failed,Expectation 'few_orders' (n < 3) failed on 1 of 3 rows of"
                + " main.gold.status_counts (e.g. status=paid n=3); the run stopped before writing"
                + " anything. Fix those rows at the source, or set 'action: warn' or 'action:"
                + " drop' for it at shop.yml:14.]");
  }

  @Test
  void entitiesRunSideBySideAndOneFailingLeavesTheOthersRebuiltAndLogged() {
    TableName customersBronze = new TableName("main", "bronze", "lb_customers_history");
    History.cookbook("customer_id INT, name STRING")
        .insert(1, 1, "ada")
        .insert(2, 2, "bob")
        .update(3, row(2, "bob"), row(2, "bea"))
        .writeTo(spark, customersBronze);
    // Orders fail their known_status expectation; customers have nothing wrong.
    PipelineConfig config =
        new ConfigLoader(BuiltinGoldTables.names())
            .parse(
                """
                entities:
                  - name: orders
                    keys: [order_id]
                    expectations:
                      - {name: known_status, expr: "status IN ('new', 'paid')", action: fail}
                  - name: customers
                    keys: [customer_id]
                """,
                "shop.yml",
                path -> Optional.empty());
    List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    MedallionPipeline pipeline =
        MedallionPipeline.logged(
            spark,
            config,
            new PipelineListener() {
              @Override
              public void stepFailed(String step, String name, RuntimeException error) {
                failed.add(step + " " + name);
              }
            },
            "run");

    assertThatThrownBy(() -> pipeline.silver(Optional.empty()))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith("Expectation 'known_status'");

    assertThat(failed).containsExactly("silver orders");
    assertThat(strings("SELECT customer_id, name FROM main.silver.silver_customers"))
        .containsExactlyInAnyOrder("[1,ada]", "[2,bea]");
    assertThat(
            strings(
                "SELECT target, status, rows_out FROM "
                    + RUN_LOG.quoted()
                    + " WHERE run_id = '"
                    + pipeline.run().runId()
                    + "'"))
        .containsExactlyInAnyOrder("[customers,succeeded,2]", "[orders,failed,0]");
  }

  @Test
  void anExpressionOverAnUnknownColumnStopsTheRunAtItsConfigLine() {
    PipelineConfig config =
        new ConfigLoader(BuiltinGoldTables.names())
            .parse(
                """
                entities:
                  - name: orders
                    keys: [order_id]
                    expectations:
                      - name: positive_amount
                        expr: amount > 0
                """,
                "shop.yml",
                path -> Optional.empty());

    assertThatThrownBy(
            () ->
                new MedallionPipeline(spark, config, PipelineListener.none())
                    .silver(Optional.empty()))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "shop.yml:6: expectation 'positive_amount' (amount > 0) cannot be checked on"
                + " main.bronze.lb_orders_history: [UNRESOLVED_COLUMN.WITH_SUGGESTION]");
  }

  /**
   * Steps end on several threads at once: the first appends to a run log that does not exist yet
   * must create it once, and every record lands exactly once.
   */
  @Test
  void recordsAppendedAtOnceToANewRunLogLandExactlyOnce() throws Exception {
    TableName log = new TableName("main", "runs_at_once", RunLog.TABLE_NAME);
    RunLog runLog = new RunLog(spark, log);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> appends = new ArrayList<>();
      for (int i = 0; i < threads * 2; i++) {
        RunRecord record =
            new RunRecord(
                "run-1",
                "test",
                "silver",
                "entity_" + i,
                "main.silver.silver_" + i,
                "full_refresh",
                Instant.EPOCH,
                Instant.EPOCH,
                i,
                i,
                0,
                List.of(),
                RunRecord.SUCCEEDED,
                Optional.empty());
        appends.add(
            pool.submit(
                () -> {
                  start.await();
                  runLog.append(record);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> append : appends) {
        append.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(
            rows("SELECT target FROM " + log.quoted() + " ORDER BY rows_in").stream()
                .map(r -> r.getString(0)))
        .containsExactly(
            "entity_0",
            "entity_1",
            "entity_2",
            "entity_3",
            "entity_4",
            "entity_5",
            "entity_6",
            "entity_7");
  }

  private static long version(TableName table) {
    return Tables.currentVersion(spark, table).orElseThrow();
  }

  private static List<String> all(TableName table) {
    return spark.table(table.quoted()).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }
}
