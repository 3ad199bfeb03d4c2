package io.cdcmedallion.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generates the sample shop once per shape (scale 1) and checks the history with SQL: shape,
 * determinism, per-key consistency, the special cases silver must meet, and appends.
 */
class ShopHistoryGeneratorTest extends SparkTestBase {
  private static final PipelineConfig LAKEBASE_CONFIG =
      new ConfigLoader(
              Set.of(
                  "gold_daily_order_summary",
                  "gold_customer_lifetime_value",
                  "gold_daily_product_sales"))
          .loadSample();
  private static final PipelineConfig COOKBOOK_CONFIG = inSchema("bronze_cookbook");
  private static final GeneratorSettings LAKEBASE =
      new GeneratorSettings(1, 42, MetadataShape.LAKEBASE);
  private static final GeneratorSettings COOKBOOK =
      new GeneratorSettings(1, 42, MetadataShape.COOKBOOK);

  private static final Map<String, List<String>> KEYS =
      Map.of(
          "customers", List.of("customer_id"),
          "products", List.of("product_id"),
          "orders", List.of("order_id"),
          "order_items", List.of("order_id", "line_no"));
  private static final Map<String, String> DATA_COLUMNS =
      Map.of(
          "customers",
              "customer_id bigint, name string, email string, region string, created_at timestamp",
          "products", "product_id bigint, name string, category string, price decimal(10,2)",
          "orders",
              "order_id bigint, customer_id bigint, status string, total_amount decimal(12,2), created_at timestamp",
          "order_items",
              "order_id bigint, line_no int, product_id bigint, quantity int, unit_price decimal(10,2)");

  private static GenerateResult lakebaseResult;

  /** Both shapes at once, in separate schemas: most of a run is driver latency that overlaps. */
  @BeforeAll
  static void generate() {
    CompletableFuture<Void> cookbook =
        CompletableFuture.runAsync(
            () -> new ShopHistoryGenerator(spark, COOKBOOK_CONFIG).generate(COOKBOOK));
    lakebaseResult = new ShopHistoryGenerator(spark, LAKEBASE_CONFIG).generate(LAKEBASE);
    cookbook.join();
  }

  @Test
  void reportsRowsWrittenPerEntityAsInTheTables() {
    assertThat(lakebaseResult.rowsWrittenPerEntity().keySet())
        .containsExactly("customers", "products", "orders", "order_items");
    for (String entity : KEYS.keySet()) {
      assertThat(lakebaseResult.rowsWrittenPerEntity().get(entity))
          .as(entity)
          .isEqualTo(spark.table(table(LAKEBASE_CONFIG, entity)).count());
    }
    // Scale 1: 1,000 orders, 200 customers, 50 products.
    assertThat(distinct(LAKEBASE_CONFIG, "orders", "order_id")).isEqualTo(1000);
    assertThat(distinct(LAKEBASE_CONFIG, "customers", "customer_id")).isEqualTo(200);
    assertThat(distinct(LAKEBASE_CONFIG, "products", "product_id")).isEqualTo(50);
    assertThat(lakebaseResult.totalRows()).isBetween(5_000L, 20_000L);
    assertThat(lakebaseResult.commitsPerTable()).isEqualTo(2);
  }

  @Test
  void lakebaseShapeHasDataColumnsThenLakebaseMetadata() {
    for (String entity : KEYS.keySet()) {
      assertThat(describe(spark.table(table(LAKEBASE_CONFIG, entity))))
          .as(entity)
          .isEqualTo(
              DATA_COLUMNS.get(entity)
                  + ", _pg_change_type string, _pg_lsn bigint, _pg_xid bigint, _timestamp timestamp, _sort_by bigint");
    }
  }

  @Test
  void cookbookShapeHasDataColumnsThenCookbookMetadata() {
    for (String entity : KEYS.keySet()) {
      assertThat(describe(spark.table(table(COOKBOOK_CONFIG, entity))))
          .as(entity)
          .isEqualTo(
              DATA_COLUMNS.get(entity)
                  + ", _change_type string, _lsn bigint, _commit_timestamp timestamp");
    }
  }

  /**
   * The two shapes come from separate {@code generate} runs with the same seed; apart from the
   * names of the metadata columns (and the Lakebase-only ones), their rows must be identical.
   */
  @Test
  void sameSeedGivesIdenticalTablesInEitherShape() {
    for (String entity : KEYS.keySet()) {
      String data = String.join(", ", ShopModel.columns(entity));
      Dataset<Row> lakebase =
          spark.sql(
              "SELECT "
                  + data
                  + ", _pg_change_type AS _change_type, _pg_lsn AS _lsn, _timestamp AS _commit_timestamp"
                  + " FROM "
                  + table(LAKEBASE_CONFIG, entity));
      // Version 1 is the generated table, before appendContinuesEveryKeyAfterTheLastLsn adds to it.
      Dataset<Row> cookbook =
          spark.sql("SELECT * FROM " + table(COOKBOOK_CONFIG, entity) + " VERSION AS OF 1");
      assertDatasetEquals(lakebase, cookbook);
    }
  }

  @Test
  void differentSeedGivesDifferentRows() {
    InitialHistory other =
        new InitialHistory(spark, new GeneratorSettings(1, 43, MetadataShape.LAKEBASE));
    for (String entity : List.of("customers", "orders")) {
      Dataset<Row> otherRows =
          Timeline.toHistory(
              other.events(entity), ShopModel.columns(entity), MetadataShape.LAKEBASE);
      Dataset<Row> generated = spark.table(table(LAKEBASE_CONFIG, entity));
      assertThat(generated.exceptAll(otherRows).count())
          .as(entity)
          .isGreaterThan(generated.count() / 2);
    }
  }

  @Test
  void everyKeyHistoryIsConsistent() {
    for (String entity : KEYS.keySet()) {
      assertConsistent(LAKEBASE_CONFIG, MetadataShape.LAKEBASE, entity);
    }
  }

  @Test
  void lsnsAreUniqueAcrossTablesAndGrowWithCommitTimeAndSortBy() {
    String events =
        KEYS.keySet().stream()
            .map(
                e ->
                    "SELECT _pg_lsn AS lsn, _timestamp AS ts, _sort_by AS sort_by, _pg_xid AS xid, _pg_change_type AS type FROM "
                        + table(LAKEBASE_CONFIG, e))
            .collect(Collectors.joining(" UNION ALL "));
    // Pre- and post-image share an LSN; every other event has its own.
    assertThat(
            rows(
                "SELECT lsn FROM ("
                    + events
                    + ") WHERE type <> 'update_preimage' GROUP BY lsn HAVING count(*) > 1"))
        .isEmpty();
    // WAL positions from 16/00000000, the first minute of the timeline first.
    assertThat(rows("SELECT min(lsn) FROM (" + events + ")").get(0).getLong(0))
        .isBetween(0x16_0000_0000L, 0x16_0000_0000L + (1L << 34));
    assertThat(
            rows(
                "SELECT * FROM (SELECT lsn, ts, lag(ts) OVER (ORDER BY lsn, sort_by) AS prev_ts,"
                    + " sort_by, lag(sort_by) OVER (ORDER BY lsn, sort_by) AS prev_sort_by FROM ("
                    + events
                    + ")) WHERE ts < prev_ts"))
        .isEmpty();
    // _sort_by is unique and follows the LSN inside each table.
    for (String entity : KEYS.keySet()) {
      assertThat(
              rows(
                  "SELECT * FROM (SELECT _sort_by, lag(_sort_by) OVER (ORDER BY _pg_lsn, _sort_by) AS prev FROM "
                      + table(LAKEBASE_CONFIG, entity)
                      + ") WHERE _sort_by <= prev"))
          .as(entity)
          .isEmpty();
    }
    // An order and its lines are written in one transaction.
    assertThat(
            rows(
                "SELECT count(*) FROM "
                    + table(LAKEBASE_CONFIG, "orders")
                    + " o JOIN "
                    + table(LAKEBASE_CONFIG, "order_items")
                    + " i ON o.order_id = i.order_id AND o._pg_change_type = 'insert' AND i._pg_change_type = 'insert'"
                    + " AND o.created_at = i._timestamp AND o._pg_xid <> i._pg_xid"))
        .extracting(r -> r.getLong(0))
        .containsExactly(0L);
  }

  @Test
  void historyHasReinsertsHotKeysDeletesAndEveryStatus() {
    for (String entity : List.of("customers", "products", "order_items")) {
      assertThat(reinsertedKeys(LAKEBASE_CONFIG, MetadataShape.LAKEBASE, entity))
          .as(entity)
          .isPositive();
    }
    for (String entity : List.of("customers", "products")) {
      String keys = String.join(", ", KEYS.get(entity));
      long hottest =
          rows("SELECT max(n) FROM (SELECT "
                  + keys
                  + ", count(*) AS n FROM "
                  + table(LAKEBASE_CONFIG, entity)
                  + " WHERE _pg_change_type = 'update_postimage' GROUP BY "
                  + keys
                  + ")")
              .get(0)
              .getLong(0);
      assertThat(hottest).as(entity).isGreaterThanOrEqualTo(10);
    }
    for (String entity : KEYS.keySet()) {
      assertThat(count(LAKEBASE_CONFIG, entity, "_pg_change_type = 'delete'"))
          .as(entity)
          .isPositive();
    }
    assertThat(
            rows(
                    "SELECT DISTINCT status FROM "
                        + table(LAKEBASE_CONFIG, "orders")
                        + " ORDER BY status")
                .stream()
                .map(r -> r.getString(0)))
        .containsExactly("cancelled", "delivered", "paid", "pending", "shipped");
    assertThat(
            rows("SELECT DISTINCT region FROM " + table(LAKEBASE_CONFIG, "customers")).stream()
                .map(r -> r.getString(0)))
        .containsExactlyInAnyOrder("EMEA", "NA", "APAC", "LATAM");
  }

  /**
   * A write path that reports no observed metrics (some Spark Connect ones) is counted from Delta's
   * record of the commit: the rows of the table's latest commit, the generator's second one.
   */
  @Test
  void rowsWrittenWithoutObservedMetricsAreThoseOfTheLatestCommit() {
    ShopHistoryGenerator generator = new ShopHistoryGenerator(spark, LAKEBASE_CONFIG);
    for (String entity : KEYS.keySet()) {
      String name = table(LAKEBASE_CONFIG, entity);
      long afterFirst = spark.sql("SELECT * FROM " + name + " VERSION AS OF 0").count();
      long afterSecond = spark.sql("SELECT * FROM " + name + " VERSION AS OF 1").count();
      assertThat(ShopHistoryGenerator.rowsWritten(spark, generator.historyTable(entity), Map.of()))
          .as(entity)
          .isEqualTo(afterSecond - afterFirst)
          .isPositive();
      assertThat(
              ShopHistoryGenerator.rowsWritten(
                  spark, generator.historyTable(entity), Map.of("rows", 7L)))
          .as(entity + ", observed")
          .isEqualTo(7);
    }
  }

  @Test
  void secondCommitArrivesWithLowerLsnsThanTheFirst() {
    for (String entity : KEYS.keySet()) {
      String name = table(LAKEBASE_CONFIG, entity);
      assertThat(rows("DESCRIBE HISTORY " + name)).as(entity).hasSize(2);
      Row[] commits = commitLsnRanges(name, "_pg_lsn", -1);
      assertThat(commits[1].getLong(2)).as(entity + " rows in the second commit").isPositive();
      assertThat(commits[1].getLong(0))
          .as(entity + " second commit starts below the end of the first")
          .isLessThan(commits[0].getLong(1));
    }
  }

  @Test
  void ordersReferenceExistingCustomersAndTotalsMatchTheirLines() {
    assertThat(
            rows(
                "SELECT DISTINCT o.customer_id FROM "
                    + table(LAKEBASE_CONFIG, "orders")
                    + " o LEFT ANTI JOIN "
                    + table(LAKEBASE_CONFIG, "customers")
                    + " c ON o.customer_id = c.customer_id"
                    + " AND c._pg_change_type = 'insert' AND c.created_at <= o.created_at"))
        .isEmpty();
    String latestOrders = latest(LAKEBASE_CONFIG, MetadataShape.LAKEBASE, "orders");
    String latestItems = latest(LAKEBASE_CONFIG, MetadataShape.LAKEBASE, "order_items");
    assertThat(
            rows(
                "SELECT o.order_id, o.total_amount, sum(i.quantity * i.unit_price) AS lines FROM ("
                    + latestOrders
                    + ") o LEFT JOIN ("
                    + latestItems
                    + ") i ON o.order_id = i.order_id AND i._type <> 'delete'"
                    + " WHERE o._type <> 'delete' GROUP BY o.order_id, o.total_amount"
                    + " HAVING o.total_amount <> coalesce(sum(i.quantity * i.unit_price), 0) LIMIT 5"))
        .isEmpty();
  }

  @Test
  void unitPriceIsTheProductPriceWhenTheLineWasAdded() {
    assertThat(
            rows(
                "SELECT i.order_id, i.line_no, i.unit_price, max_by(p.price, p._pg_lsn) AS price_then FROM "
                    + table(LAKEBASE_CONFIG, "order_items")
                    + " i JOIN "
                    + table(LAKEBASE_CONFIG, "products")
                    + " p ON p.product_id = i.product_id AND p._pg_lsn < i._pg_lsn AND p._pg_change_type <> 'update_preimage'"
                    + " WHERE i._pg_change_type = 'insert' GROUP BY i.order_id, i.line_no, i._pg_lsn, i.unit_price"
                    + " HAVING i.unit_price <> max_by(p.price, p._pg_lsn) LIMIT 5"))
        .isEmpty();
    assertThat(count(LAKEBASE_CONFIG, "order_items", "_pg_change_type = 'insert'"))
        .isEqualTo(
            rows("SELECT count(DISTINCT i.order_id, i.line_no, i._pg_lsn) FROM "
                    + table(LAKEBASE_CONFIG, "order_items")
                    + " i JOIN "
                    + table(LAKEBASE_CONFIG, "products")
                    + " p ON p.product_id = i.product_id AND p._pg_lsn < i._pg_lsn WHERE i._pg_change_type = 'insert'")
                .get(0)
                .getLong(0));
  }

  @Test
  void appendContinuesEveryKeyAfterTheLastLsn() {
    String counts =
        KEYS.keySet().stream()
            .map(
                e ->
                    "SELECT '"
                        + e
                        + "' AS entity, count(*) AS n, max(_lsn) AS lsn FROM "
                        + table(COOKBOOK_CONFIG, e))
            .collect(Collectors.joining(" UNION ALL "));
    Map<String, Long> before =
        rows(counts).stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    long maxLsn = rows("SELECT max(lsn) FROM (" + counts + ")").get(0).getLong(0);

    GenerateResult result = new ShopHistoryGenerator(spark, COOKBOOK_CONFIG).append(COOKBOOK);

    for (String entity : KEYS.keySet()) {
      Row after =
          rows("SELECT count(*), count_if(_lsn > "
                  + maxLsn
                  + ") FROM "
                  + table(COOKBOOK_CONFIG, entity))
              .get(0);
      long appended = result.rowsWrittenPerEntity().get(entity);
      assertThat(appended).as(entity + " rows appended").isPositive();
      assertThat(after.getLong(0) - before.get(entity))
          .as(entity + " rows added")
          .isEqualTo(appended);
      assertThat(after.getLong(1))
          .as(entity + " rows above the previous max LSN")
          .isEqualTo(appended);
      assertConsistent(COOKBOOK_CONFIG, MetadataShape.COOKBOOK, entity);
    }
    // generate wrote versions 0 and 1; the append writes 2 (later half) and 3 (earlier half).
    Row[] commits = commitLsnRanges(table(COOKBOOK_CONFIG, "orders"), "_lsn", 1);
    assertThat(commits[1].getLong(2)).as("rows in the second commit").isPositive();
    assertThat(commits[1].getLong(1))
        .as("second commit is older")
        .isLessThan(commits[0].getLong(0));

    assertThat(count(COOKBOOK_CONFIG, "orders", "order_id > 1000")).as("new orders").isPositive();
    assertThat(count(COOKBOOK_CONFIG, "order_items", "order_id > 1000"))
        .as("their lines")
        .isPositive();
    assertThat(count(COOKBOOK_CONFIG, "customers", "customer_id > 200"))
        .as("new customers")
        .isPositive();
    assertThat(
            count(
                COOKBOOK_CONFIG,
                "orders",
                "_change_type = 'update_postimage' AND _lsn > " + maxLsn))
        .as("updates of existing orders")
        .isPositive();
    assertThat(
            count(
                COOKBOOK_CONFIG,
                "customers",
                "_change_type = 'insert' AND customer_id <= 200 AND _lsn > " + maxLsn))
        .as("re-inserted customers")
        .isPositive();
  }

  @Test
  void appendWithoutTablesSaysToGenerateFirst() {
    ShopHistoryGenerator generator = new ShopHistoryGenerator(spark, inSchema("bronze_missing"));
    assertThatThrownBy(() -> generator.append(LAKEBASE))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Bronze table main.bronze_missing.lb_customers_history for entity 'customers' does not exist, so there is"
                + " no sample history to append to. Run ./medallion generate first.");
  }

  @Test
  void appendWithAnotherShapeIsRefused() {
    ShopHistoryGenerator generator = new ShopHistoryGenerator(spark, COOKBOOK_CONFIG);
    assertThatThrownBy(() -> generator.append(LAKEBASE))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "Bronze table main.bronze_cookbook.lb_customers_history has the cookbook metadata shape, but the append"
                + " asked for lakebase;");
  }

  @Test
  void configWithoutAShopEntityIsRefused() {
    PipelineConfig partial =
        new PipelineConfig(
            "partial.yml",
            "main",
            "bronze",
            "silver",
            "gold",
            List.of(
                EntityConfig.of("customers", "customer_id"), EntityConfig.of("orders", "order_id")),
            List.of());
    assertThatThrownBy(() -> new ShopHistoryGenerator(spark, partial))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "No entity 'products' in partial.yml, but the sample shop generator writes");
  }

  @Test
  void scaleMustBePositive() {
    assertThatThrownBy(() -> new GeneratorSettings(0, 1, MetadataShape.LAKEBASE))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Invalid sample scale 0: it counts thousands of orders and must be between 1 and 50000. Pass a scale in that range.");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Min LSN, max LSN and row count of the two commits after {@code base}: rows of version {@code
   * base + 1} not in {@code base}, and rows of the current version not in {@code base + 1}.
   */
  private static Row[] commitLsnRanges(String name, String lsn, long base) {
    String first =
        "SELECT * FROM "
            + name
            + " VERSION AS OF "
            + (base + 1)
            + " EXCEPT ALL SELECT * FROM "
            + name
            + (base < 0 ? " WHERE false" : " VERSION AS OF " + base);
    String second =
        "SELECT * FROM "
            + name
            + " EXCEPT ALL SELECT * FROM "
            + name
            + " VERSION AS OF "
            + (base + 1);
    List<Row> ranges =
        rows(
            "SELECT 1 AS c, min("
                + lsn
                + "), max("
                + lsn
                + "), count(*) FROM ("
                + first
                + ") UNION ALL"
                + " SELECT 2, min("
                + lsn
                + "), max("
                + lsn
                + "), count(*) FROM ("
                + second
                + ") ORDER BY c");
    return ranges.stream()
        .map(
            r ->
                org.apache.spark.sql.RowFactory.create(
                    r.isNullAt(1) ? 0L : r.getLong(1),
                    r.isNullAt(2) ? 0L : r.getLong(2),
                    r.getLong(3)))
        .toArray(Row[]::new);
  }

  /**
   * Fails when a key's history breaks the CDC contract: an insert of a live key, an update or
   * delete of a key that is not live, a pre-image that is not the previous row, a pre-image without
   * its post-image at the same LSN, or a delete that does not carry the previous row.
   */
  private static void assertConsistent(PipelineConfig config, MetadataShape shape, String entity) {
    String name = table(config, entity);
    List<String> keys = KEYS.get(entity);
    String keyList = String.join(", ", keys);
    String values = valuesStruct(entity);
    String type = shape.changeTypeColumn();
    String lsn = shape.lsnColumn();
    String on = keys.stream().map(k -> "s." + k + " = p." + k).collect(Collectors.joining(" AND "));
    String events =
        "SELECT "
            + keyList
            + ", "
            + type
            + " AS t, "
            + lsn
            + " AS lsn, "
            + values
            + " AS v FROM "
            + name;
    String sequence =
        "SELECT *, lag(t) OVER (PARTITION BY "
            + keyList
            + " ORDER BY lsn) AS prev_t, lag(v) OVER (PARTITION BY "
            + keyList
            + " ORDER BY lsn) AS prev_v FROM ("
            + events
            + ") WHERE t <> 'update_preimage'";
    String pre = "SELECT * FROM (" + events + ") WHERE t = 'update_preimage'";
    List<Row> broken =
        rows(
            "SELECT s.*, p.v AS pre_v FROM ("
                + sequence
                + ") s LEFT JOIN ("
                + pre
                + ") p ON "
                + on
                + " AND s.lsn = p.lsn WHERE"
                + " (s.t = 'insert' AND s.prev_t IS NOT NULL AND s.prev_t <> 'delete')"
                + " OR (s.t IN ('update_postimage', 'delete') AND (s.prev_t IS NULL OR s.prev_t = 'delete'))"
                + " OR (s.t = 'update_postimage' AND (p.v IS NULL OR NOT (p.v <=> s.prev_v)))"
                + " OR (s.t <> 'update_postimage' AND p.v IS NOT NULL)"
                + " OR (s.t = 'delete' AND NOT (s.v <=> s.prev_v)) LIMIT 5");
    assertThat(broken).as(name + " events out of line").isEmpty();
    List<Row> orphans =
        rows(
            "SELECT * FROM ("
                + pre
                + ") p LEFT ANTI JOIN ("
                + events
                + ") s ON "
                + on
                + " AND s.lsn = p.lsn AND s.t = 'update_postimage' LIMIT 5");
    assertThat(orphans).as(name + " pre-images without a post-image").isEmpty();
    assertThat(
            rows(
                "SELECT "
                    + keyList
                    + ", lsn, t FROM ("
                    + events
                    + ") GROUP BY "
                    + keyList
                    + ", lsn, t HAVING count(*) > 1 LIMIT 5"))
        .as(name + " duplicate events")
        .isEmpty();
  }

  private static long reinsertedKeys(PipelineConfig config, MetadataShape shape, String entity) {
    String keyList = String.join(", ", KEYS.get(entity));
    return rows("SELECT count(*) FROM (SELECT "
            + shape.changeTypeColumn()
            + " AS t, lag("
            + shape.changeTypeColumn()
            + ") OVER (PARTITION BY "
            + keyList
            + " ORDER BY "
            + shape.lsnColumn()
            + ") AS prev_t FROM "
            + table(config, entity)
            + " WHERE "
            + shape.changeTypeColumn()
            + " <> 'update_preimage') WHERE t = 'insert' AND prev_t = 'delete'")
        .get(0)
        .getLong(0);
  }

  /** The latest event per key: data columns and {@code _type}. */
  private static String latest(PipelineConfig config, MetadataShape shape, String entity) {
    String keyList = String.join(", ", KEYS.get(entity));
    return "SELECT w.* FROM (SELECT max_by(struct(*, "
        + shape.changeTypeColumn()
        + " AS _type), "
        + shape.lsnColumn()
        + ") AS w FROM "
        + table(config, entity)
        + " WHERE "
        + shape.changeTypeColumn()
        + " <> 'update_preimage' GROUP BY "
        + keyList
        + ")";
  }

  private static String valuesStruct(String entity) {
    return "struct(" + ShopModel.columns(entity).stream().collect(Collectors.joining(", ")) + ")";
  }

  private static long count(PipelineConfig config, String entity, String where) {
    return rows("SELECT count(*) FROM " + table(config, entity) + " WHERE " + where)
        .get(0)
        .getLong(0);
  }

  private static long distinct(PipelineConfig config, String entity, String column) {
    return rows("SELECT count(DISTINCT " + column + ") FROM " + table(config, entity))
        .get(0)
        .getLong(0);
  }

  private static String table(PipelineConfig config, String entity) {
    return config.historyTable(config.entity(entity).orElseThrow()).quoted();
  }

  private static PipelineConfig inSchema(String bronzeSchema) {
    PipelineConfig sample =
        new ConfigLoader(
                Set.of(
                    "gold_daily_order_summary",
                    "gold_customer_lifetime_value",
                    "gold_daily_product_sales"))
            .loadSample();
    return new PipelineConfig(
        "test.yml", sample.catalog(), bronzeSchema, "silver", "gold", sample.entities(), List.of());
  }

  private static String describe(Dataset<Row> table) {
    return java.util.Arrays.stream(table.schema().fields())
        .map((StructField f) -> f.name() + " " + f.dataType().simpleString())
        .collect(Collectors.joining(", "));
  }
}
