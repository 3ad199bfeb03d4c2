package io.cdcmedallion.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code gold_daily_product_sales}: units and revenue per day and product, from order lines.
 *
 * <p>Columns: {@code sale_date DATE} ({@code to_date} of the order's {@code created_at}, session
 * time zone), {@code category, product_id, product_name}, {@code units_sold BIGINT} (sum of {@code
 * quantity}), {@code revenue DECIMAL} (sum of {@code quantity * unit_price}, the price on the order
 * line, not the product's current price), {@code order_count BIGINT} (distinct orders).
 *
 * <p>Built from {@code silver_order_items ⋈ silver_orders ⋈ silver_products} with inner joins:
 * lines of cancelled orders are left out, and so are lines whose order or product is not in silver
 * (deleted or not yet replicated).
 */
public final class DailyProductSales implements GoldTable {
  /** The table name. */
  public static final String NAME = "gold_daily_product_sales";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Daily units sold, revenue and order count per product (cancelled orders excluded)";
  }

  @Override
  public Dataset<Row> build(SilverTables silver) {
    Dataset<Row> items =
        silver.of("order_items").select("order_id", "product_id", "quantity", "unit_price");
    Dataset<Row> orders =
        silver
            .of("orders")
            .filter(not(col("status").eqNullSafe("cancelled")))
            .select(col("order_id"), to_date(col("created_at")).as("sale_date"));
    Dataset<Row> products =
        silver
            .of("products")
            .select(col("product_id"), col("name").as("product_name"), col("category"));
    return items
        .join(orders, "order_id")
        .join(products, "product_id")
        .groupBy(col("sale_date"), col("category"), col("product_id"), col("product_name"))
        .agg(
            sum(col("quantity")).as("units_sold"),
            sum(col("quantity").multiply(col("unit_price"))).as("revenue"),
            countDistinct(col("order_id")).as("order_count"));
  }
}
