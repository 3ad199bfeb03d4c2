package io.cdcmedallion.gold;

import static io.cdcmedallion.gold.ShopSilver.date;
import static io.cdcmedallion.gold.ShopSilver.dec;
import static io.cdcmedallion.gold.ShopSilver.row;
import static io.cdcmedallion.gold.ShopSilver.table;
import static io.cdcmedallion.gold.ShopSilver.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoldJobTest extends SparkTestBase {
  private PipelineConfig config;

  @BeforeEach
  void writeSilver() {
    config = new ConfigLoader(BuiltinGoldTables.names()).loadSample();
    ShopSilver.write(spark, config);
  }

  private static long commits(String table) {
    return spark.sql("DESCRIBE HISTORY " + table).count();
  }

  @Test
  void eachRunReplacesTheTableInOneCommitWithoutDuplicates() {
    GoldJob job = new GoldJob(spark, config);
    GoldTableConfig summary = GoldTableConfig.builtin(DailyOrderSummary.NAME);
    String table = "main.gold.gold_daily_order_summary";

    GoldResult first = job.run(summary);
    assertThat(commits(table)).isEqualTo(1);
    GoldResult second = job.run(summary);
    assertThat(commits(table)).isEqualTo(2);

    assertThat(first.rows()).isEqualTo(5);
    assertThat(second.rows()).isEqualTo(5);
    assertThat(second.table().toString()).isEqualTo(table);
    assertThat(second.elapsed()).isPositive();
    Dataset<Row> expected =
        table(
            spark,
            "order_date DATE, status STRING, order_count BIGINT, total_revenue DECIMAL(22,2)",
            row(date("2025-03-01"), "paid", 1L, dec("27.50")),
            row(date("2025-03-01"), "shipped", 1L, dec("19.98")),
            row(date("2025-03-02"), "delivered", 2L, dec("17.00")),
            row(date("2025-03-02"), "cancelled", 1L, dec("12.50")),
            row(date("2025-03-02"), "pending", 1L, dec("29.99")));
    assertDatasetEquals(expected, spark.table(table));

    // Silver changes (order 104 now paid); the next run shows only the new state.
    ShopSilver.write(
        spark,
        config,
        "orders",
        spark
            .table("main.silver.silver_orders")
            .filter("order_id <> 104")
            .union(
                table(
                    spark,
                    ShopSilver.ORDERS,
                    row(104L, 2L, "paid", dec("29.99"), ts("2025-03-02T10:00:00Z"))))
            .localCheckpoint());
    job.run(summary);
    assertThat(commits(table)).isEqualTo(3);
    Dataset<Row> afterChange =
        table(
            spark,
            "order_date DATE, status STRING, order_count BIGINT, total_revenue DECIMAL(22,2)",
            row(date("2025-03-01"), "paid", 1L, dec("27.50")),
            row(date("2025-03-01"), "shipped", 1L, dec("19.98")),
            row(date("2025-03-02"), "delivered", 2L, dec("17.00")),
            row(date("2025-03-02"), "cancelled", 1L, dec("12.50")),
            row(date("2025-03-02"), "paid", 1L, dec("29.99")));
    assertDatasetEquals(afterChange, spark.table(table));
  }

  @Test
  void buildThatFailsWhileWritingLeavesThePreviousTableIntact() {
    GoldJob job = new GoldJob(spark, config);
    String table = "main.gold.gold_order_status";
    job.run(
        GoldTableConfig.ofSql(
            "gold_order_status", "SELECT order_id, status FROM silver_orders", "good.sql"));
    Dataset<Row> before = spark.table(table).localCheckpoint();
    long commitsBefore = commits(table);

    // Analyses fine; fails only when Spark computes the row of order 105.
    GoldTableConfig failing =
        GoldTableConfig.ofSql(
            "gold_order_status",
            "SELECT order_id, IF(order_id = 105, raise_error('boom'), status) AS status FROM silver_orders",
            "failing.sql");

    assertThatThrownBy(() -> job.run(failing))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith("gold gold_order_status failed on main.gold.gold_order_status: ")
        .hasMessageContaining("(caused by: [USER_RAISED_EXCEPTION] boom")
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.EXECUTION));
    assertThat(commits(table)).isEqualTo(commitsBefore);
    assertThat(spark.table(table).count()).isEqualTo(6);
    assertDatasetEquals(before, spark.table(table));
  }

  @Test
  void missingSilverTableSaysToRunSilverFirst() {
    PipelineConfig noSilver =
        new PipelineConfig(
            "test.yml",
            "main",
            "bronze",
            "silver_missing",
            "gold_missing",
            config.entities(),
            List.of());

    assertThatThrownBy(
            () ->
                new GoldJob(spark, noSilver)
                    .run(GoldTableConfig.builtin(CustomerLifetimeValue.NAME)))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Gold table main.gold_missing.gold_customer_lifetime_value reads silver table"
                + " main.silver_missing.silver_customers, which does not exist. Build silver first (the silver command or job task), then gold.")
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.TABLE));
    assertThat(spark.catalog().tableExists("main.gold_missing.gold_customer_lifetime_value"))
        .isFalse();
  }

  @Test
  void goldEntryWithoutSqlMustNameABuiltinTable() {
    assertThatThrownBy(
            () -> new GoldJob(spark, config).run(GoldTableConfig.builtin("gold_top_products")))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Gold table 'gold_top_products' in classpath:cdc-medallion/shop-pipeline.yml has no 'sql' file and is not a"
                + " built-in gold table (built-ins: gold_daily_order_summary, gold_customer_lifetime_value,"
                + " gold_daily_product_sales). Add 'sql: <file>.sql' holding one SELECT to its entry, or use a built-in"
                + " name.");
  }
}
