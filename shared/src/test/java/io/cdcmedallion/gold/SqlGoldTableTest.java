package io.cdcmedallion.gold;

import static io.cdcmedallion.gold.ShopSilver.dec;
import static io.cdcmedallion.gold.ShopSilver.row;
import static io.cdcmedallion.gold.ShopSilver.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineListener;
import io.cdcmedallion.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlGoldTableTest extends SparkTestBase {
  private static PipelineConfig config;

  @TempDir Path sqlDir;

  @BeforeAll
  static void writeSilver() {
    config = new ConfigLoader(BuiltinGoldTables.names()).loadSample();
    ShopSilver.write(spark, config);
    // A decoy silver_orders in another schema: it must not be read while it is current.
    spark.sql("CREATE SCHEMA IF NOT EXISTS spark_catalog.scratch");
    Tables.replace(
        spark,
        table(spark, ShopSilver.ORDERS, row(1L, 1L, "decoy", dec("1.00"), null)),
        new TableName("spark_catalog", "scratch", "silver_orders"));
  }

  @BeforeEach
  void startInScratchSchema() {
    spark.catalog().setCurrentCatalog("spark_catalog");
    spark.catalog().setCurrentDatabase("scratch");
  }

  private GoldTableConfig sqlFile(String name, String sql) throws IOException {
    Path file = sqlDir.resolve(name + ".sql");
    Files.writeString(file, sql);
    return GoldTableConfig.ofSql(name, Files.readString(file).strip(), file.toString());
  }

  private void assertSessionNamespaceRestored() {
    assertThat(spark.catalog().currentCatalog()).isEqualTo("spark_catalog");
    assertThat(spark.catalog().currentDatabase()).isEqualTo("scratch");
  }

  @Test
  void unqualifiedTableNamesResolveInTheSilverSchemaAndTheSessionNamespaceIsRestored()
      throws IOException {
    GoldTableConfig statusRevenue =
        sqlFile(
            "gold_status_revenue",
            "-- revenue per status\n"
                + "SELECT status, COUNT(*) AS order_count, SUM(total_amount) AS revenue\n"
                + "FROM silver_orders\nGROUP BY status\n");

    GoldResult result = new GoldJob(spark, config).run(statusRevenue);

    assertSessionNamespaceRestored();
    assertThat(result.table().toString()).isEqualTo("main.gold.gold_status_revenue");
    assertThat(result.rows()).isEqualTo(5);
    Dataset<Row> expected =
        table(
            spark,
            "status STRING, order_count BIGINT, revenue DECIMAL(22,2)",
            row("paid", 1L, dec("27.50")),
            row("shipped", 1L, dec("19.98")),
            row("delivered", 2L, dec("17.00")),
            row("cancelled", 1L, dec("12.50")),
            row("pending", 1L, dec("29.99")));
    assertDatasetEquals(expected, spark.table("main.gold.gold_status_revenue"));
  }

  @Test
  void unknownColumnFailsWithTheGoldSqlMessageAndRestoresTheNamespace() throws IOException {
    GoldTableConfig bad = sqlFile("gold_bad", "SELECT no_such_column FROM silver_orders");

    assertThatThrownBy(() -> new GoldJob(spark, config).run(bad))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "Gold table main.gold.gold_bad: the SELECT in "
                + sqlDir.resolve("gold_bad.sql")
                + " failed: [UNRESOLVED_COLUMN")
        .hasMessageContaining("`no_such_column`")
        .hasMessageEndingWith(
            ". Fix the SELECT; unqualified table names resolve in the silver schema.")
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.EXECUTION));
    assertSessionNamespaceRestored();
    assertThat(spark.catalog().tableExists("main.gold.gold_bad")).isFalse();
  }

  @Test
  void unknownTableThatNoEntityWritesIsAGoldSqlError() throws IOException {
    GoldTableConfig typo = sqlFile("gold_typo", "SELECT * FROM silver_orderz");

    assertThatThrownBy(() -> new GoldJob(spark, config).run(typo))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith("Gold table main.gold.gold_typo: the SELECT in ")
        .hasMessageContaining("[TABLE_OR_VIEW_NOT_FOUND]")
        .hasMessageContaining("`silver_orderz`");
    assertSessionNamespaceRestored();
  }

  @Test
  void missingSilverTableOfAConfiguredEntitySaysToRunSilverFirst() throws IOException {
    spark.sql("CREATE SCHEMA IF NOT EXISTS main.silver_empty");
    PipelineConfig empty = withSilverSchema("silver_empty");
    GoldTableConfig counts = sqlFile("gold_counts", "SELECT COUNT(*) AS n FROM silver_orders");

    assertThatThrownBy(() -> new GoldJob(spark, empty).run(counts))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Gold table main.gold.gold_counts reads silver table main.silver_empty.silver_orders, which does not exist."
                + " Build silver first (the silver command or job task), then gold.");
    assertSessionNamespaceRestored();
  }

  @Test
  void missingSilverSchemaSaysToRunSilverFirst() throws IOException {
    PipelineConfig none = withSilverSchema("silver_never_built");
    GoldTableConfig counts = sqlFile("gold_counts", "SELECT COUNT(*) AS n FROM silver_orders");

    assertThatThrownBy(() -> new GoldJob(spark, none).run(counts))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Gold table main.gold.gold_counts reads silver schema main.silver_never_built, which does not exist."
                + " Build silver first (the silver command or job task), then gold.");
    assertSessionNamespaceRestored();
  }

  /**
   * The pipeline builds gold tables side by side, and each SQL one switches the session's namespace
   * while Spark analyses it: builds at once must take turns, or one analyses its SELECT in the
   * namespace another restored (the decoy silver_orders, 1 row) or restores the namespace another
   * switched to.
   */
  @Test
  void sqlGoldTablesBuiltAtOnceEachResolveInTheSilverSchema() throws Exception {
    int builds = 4;
    List<GoldTableConfig> tables = new ArrayList<>();
    for (int i = 0; i < builds; i++) {
      tables.add(sqlFile("gold_count_" + i, "SELECT COUNT(*) AS n FROM silver_orders"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(builds);
    try {
      for (int round = 0; round < 3; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> counts = new ArrayList<>();
        for (GoldTableConfig t : tables) {
          counts.add(
              pool.submit(
                  () -> {
                    start.await();
                    TableName target = config.goldTableName(t.name());
                    return new SqlGoldTable(t)
                        .build(new SilverTables(spark, config, target))
                        .first()
                        .getLong(0);
                  }));
        }
        start.countDown();
        for (Future<Long> count : counts) {
          assertThat(count.get(2, TimeUnit.MINUTES)).as("round %d", round).isEqualTo(6L);
        }
        assertSessionNamespaceRestored();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Gold tables that read only silver are built side by side, each to its end: one whose SELECT
   * fails does not keep the next one from being built, and the run fails with the first error in
   * config order.
   */
  @Test
  void aFailingGoldTableDoesNotStopTheOthersAndItsErrorFailsTheRun() throws IOException {
    GoldTableConfig bad = sqlFile("gold_bad_first", "SELECT no_such_column FROM silver_orders");
    GoldTableConfig good =
        sqlFile("gold_after_bad", "SELECT COUNT(*) AS n FROM silver_orders WHERE status = 'paid'");
    PipelineConfig both =
        new PipelineConfig(
            "test.yml",
            config.catalog(),
            config.bronzeSchema(),
            config.silverSchema(),
            config.goldSchema(),
            config.entities(),
            List.of(bad, good));
    List<String> failed = new CopyOnWriteArrayList<>();
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void stepFailed(String step, String name, RuntimeException error) {
            failed.add(step + " " + name);
          }
        };

    assertThatThrownBy(() -> new MedallionPipeline(spark, both, listener).gold(Optional.empty()))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith("Gold table main.gold.gold_bad_first: the SELECT in ");
    assertThat(failed).containsExactly("gold gold_bad_first");
    assertThat(rows("SELECT n FROM main.gold.gold_after_bad"))
        .extracting(r -> r.getLong(0))
        .containsExactly(1L);
    assertThat(spark.catalog().tableExists("main.gold.gold_bad_first")).isFalse();
    assertSessionNamespaceRestored();
  }

  private static PipelineConfig withSilverSchema(String silverSchema) {
    return new PipelineConfig(
        "test.yml",
        config.catalog(),
        config.bronzeSchema(),
        silverSchema,
        config.goldSchema(),
        config.entities(),
        List.of());
  }
}
