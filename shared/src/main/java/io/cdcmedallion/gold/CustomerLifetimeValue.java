package io.cdcmedallion.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/**
 * {@code gold_customer_lifetime_value}: what each customer has ordered so far.
 *
 * <p>One row per row of {@code silver_customers}, customers without orders included: {@code
 * customer_id, name, region, order_count BIGINT, lifetime_value DECIMAL} (sum of {@code
 * total_amount}; 0, not null, when the customer has no orders), {@code first_order_at,
 * last_order_at TIMESTAMP} (null when there are no orders).
 *
 * <p>Cancelled orders are left out of every column; orders with any other status (or none) count.
 * Rows are driven by the customer side: an order whose {@code customer_id} is not in {@code
 * silver_customers} (deleted customer, not yet replicated, or null) appears in no row.
 */
public final class CustomerLifetimeValue implements GoldTable {
  /** The table name. */
  public static final String NAME = "gold_customer_lifetime_value";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Order count, lifetime value and first/last order time per customer (cancelled orders excluded)";
  }

  @Override
  public Dataset<Row> build(SilverTables silver) {
    Dataset<Row> customers = silver.of("customers").select("customer_id", "name", "region");
    Dataset<Row> perCustomer =
        silver
            .of("orders")
            .filter(not(col("status").eqNullSafe("cancelled")))
            .groupBy(col("customer_id"))
            .agg(
                count(col("order_id")).as("order_count"),
                sum(col("total_amount")).as("lifetime_value"),
                min(col("created_at")).as("first_order_at"),
                max(col("created_at")).as("last_order_at"));
    // Keep the sum's decimal type for customers without orders, so the column type does not
    // depend on whether such customers exist.
    DataType valueType = perCustomer.schema().apply("lifetime_value").dataType();
    return customers
        .join(
            perCustomer,
            customers.col("customer_id").equalTo(perCustomer.col("customer_id")),
            "left")
        .select(
            customers.col("customer_id"),
            customers.col("name"),
            customers.col("region"),
            coalesce(perCustomer.col("order_count"), lit(0L)).as("order_count"),
            coalesce(perCustomer.col("lifetime_value"), lit(0).cast(valueType))
                .as("lifetime_value"),
            perCustomer.col("first_order_at"),
            perCustomer.col("last_order_at"));
  }
}
