package io.cdcmedallion.gold;

import static io.cdcmedallion.gold.ShopSilver.date;
import static io.cdcmedallion.gold.ShopSilver.dec;
import static io.cdcmedallion.gold.ShopSilver.row;
import static io.cdcmedallion.gold.ShopSilver.table;
import static io.cdcmedallion.gold.ShopSilver.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineListener;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BuiltinGoldTablesTest extends SparkTestBase {
  private static PipelineConfig config;

  @BeforeAll
  static void writeSilver() {
    config = new ConfigLoader(BuiltinGoldTables.names()).loadSample();
    ShopSilver.write(spark, config);
  }

  private static Dataset<Row> build(String name) {
    GoldTable gold = BuiltinGoldTables.byName(name).orElseThrow();
    return gold.build(new SilverTables(spark, config, config.goldTableName(name)));
  }

  @Test
  void registryListsTheThreeJavaTablesByName() {
    assertThat(BuiltinGoldTables.names())
        .containsExactly(
            "gold_daily_order_summary", "gold_customer_lifetime_value", "gold_daily_product_sales");
    assertThat(BuiltinGoldTables.byName("gold_daily_product_sales"))
        .get()
        .isInstanceOf(DailyProductSales.class);
    assertThat(BuiltinGoldTables.byName("gold_revenue_by_region")).isEmpty();
  }

  @Test
  void sampleShopConfigResolvesEveryGoldEntry() {
    assertThat(config.gold())
        .extracting(GoldTableConfig::name)
        .containsExactly(
            "gold_daily_order_summary",
            "gold_customer_lifetime_value",
            "gold_daily_product_sales",
            "gold_revenue_by_region");
    assertThat(config.goldTable("gold_revenue_by_region").orElseThrow().sql())
        .get()
        .asString()
        .contains("FROM silver_customers");
  }

  @Test
  void dailyOrderSummaryCountsEveryStatusPerCalendarDay() {
    Dataset<Row> expected =
        table(
            spark,
            "order_date DATE, status STRING, order_count BIGINT, total_revenue DECIMAL(22,2)",
            row(date("2025-03-01"), "paid", 1L, dec("27.50")),
            row(date("2025-03-01"), "shipped", 1L, dec("19.98")), // 23:30 UTC stays on the 1st
            row(date("2025-03-02"), "delivered", 2L, dec("17.00")), // 102 + 105 (unknown customer)
            row(date("2025-03-02"), "cancelled", 1L, dec("12.50")),
            row(date("2025-03-02"), "pending", 1L, dec("29.99")));

    assertDatasetEquals(expected, build("gold_daily_order_summary"));
  }

  @Test
  void customerLifetimeValueKeepsCustomersWithoutOrdersAndSkipsCancelledOrders() {
    Dataset<Row> expected =
        table(
            spark,
            "customer_id BIGINT, name STRING, region STRING, order_count BIGINT, lifetime_value DECIMAL(22,2),"
                + " first_order_at TIMESTAMP, last_order_at TIMESTAMP",
            row(
                1L,
                "Ada",
                "EU",
                2L,
                dec("37.50"),
                ts("2025-03-01T08:00:00Z"),
                ts("2025-03-02T00:15:00Z")),
            row(
                2L,
                "Bob",
                "US",
                2L,
                dec("49.97"),
                ts("2025-03-01T23:30:00Z"),
                ts("2025-03-02T10:00:00Z")),
            row(3L, "Cy", "EU", 0L, dec("0.00"), null, null),
            row(4L, "Dee", "US", 0L, dec("0.00"), null, null)); // only order 103, cancelled
    // Order 105's customer 99 is not in silver_customers: no row for it.

    assertDatasetEquals(expected, build("gold_customer_lifetime_value"));
  }

  @Test
  void dailyProductSalesSumsOrderLinesPerDayAndProduct() {
    Dataset<Row> expected =
        table(
            spark,
            "sale_date DATE, category STRING, product_id BIGINT, product_name STRING, units_sold BIGINT,"
                + " revenue DECIMAL(31,2), order_count BIGINT",
            row(date("2025-03-01"), "tools", 10L, "Widget", 3L, dec("15.00"), 1L),
            row(date("2025-03-01"), "tools", 11L, "Gadget", 1L, dec("12.50"), 1L),
            row(date("2025-03-01"), "books", 20L, "Novel", 2L, dec("19.98"), 1L),
            // 102 (2 @5.00) + 104 (3 @5.00 and 1 @5.00, one order) + 105 (1 @7.00, the line's
            // price)
            row(date("2025-03-02"), "tools", 10L, "Widget", 7L, dec("37.00"), 3L),
            row(date("2025-03-02"), "books", 20L, "Novel", 1L, dec("9.99"), 1L));
    // Gadget on 2025-03-02 was only in cancelled order 103: no row.

    assertDatasetEquals(expected, build("gold_daily_product_sales"));
  }

  @Test
  void sampleConfigBuildsAllGoldTablesIncludingTheShippedSql() {
    List<GoldResult> results =
        new MedallionPipeline(spark, config, PipelineListener.none()).gold(Optional.empty());

    assertThat(results)
        .extracting(GoldResult::name, GoldResult::rows)
        .containsExactly(
            tuple("gold_daily_order_summary", 5L),
            tuple("gold_customer_lifetime_value", 4L),
            tuple("gold_daily_product_sales", 5L),
            tuple("gold_revenue_by_region", 2L));
    Dataset<Row> expected =
        table(
            spark,
            "region STRING, customer_count BIGINT, ordering_customers BIGINT, order_count BIGINT,"
                + " total_revenue DECIMAL(22,2)",
            row("EU", 2L, 1L, 2L, dec("37.50")), // Ada ordered twice, Cy never
            row("US", 2L, 1L, 2L, dec("49.97"))); // Bob twice; Dee's only order is cancelled
    assertDatasetEquals(expected, spark.table("main.gold.gold_revenue_by_region"));
  }
}
