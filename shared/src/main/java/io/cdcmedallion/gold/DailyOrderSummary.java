package io.cdcmedallion.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code gold_daily_order_summary}: order counts and revenue per day and status, the cookbook's
 * example gold table.
 *
 * <p>Columns: {@code order_date DATE, status STRING, order_count BIGINT, total_revenue DECIMAL}
 * (the sum of {@code silver_orders.total_amount}). Every status is counted, cancelled included, as
 * in the cookbook; filter on {@code status} when reading.
 *
 * <p>{@code order_date} is {@code to_date(created_at)}: a DATE in the session time zone (UTC in the
 * local lakehouse). The cookbook's {@code DATE_TRUNC('day', created_at)} gives a TIMESTAMP at
 * midnight instead; a DATE says what the column means and joins with calendar tables directly.
 */
public final class DailyOrderSummary implements GoldTable {
  /** The table name. */
  public static final String NAME = "gold_daily_order_summary";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Daily order counts and revenue by status";
  }

  @Override
  public Dataset<Row> build(SilverTables silver) {
    return silver
        .of("orders")
        .groupBy(to_date(col("created_at")).as("order_date"), col("status"))
        .agg(count(lit(1)).as("order_count"), sum(col("total_amount")).as("total_revenue"));
  }
}
