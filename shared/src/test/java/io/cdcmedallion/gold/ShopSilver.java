package io.cdcmedallion.gold;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A small hand-written silver shop, small enough to check every gold number by reading it.
 *
 * <pre>
 * customers  1 Ada EU, 2 Bob US, 3 Cy EU (no orders), 4 Dee US (only a cancelled order)
 * products   10 Widget tools 5.00, 11 Gadget tools 12.50, 20 Novel books 9.99
 * orders     id   customer status     total  created_at (UTC)   lines (product x qty @ unit_price)
 *            100  1        paid       27.50  2025-03-01 08:00   10 x3 @5.00, 11 x1 @12.50
 *            101  2        shipped    19.98  2025-03-01 23:30   20 x2 @9.99
 *            102  1        delivered  10.00  2025-03-02 00:15   10 x2 @5.00
 *            103  4        cancelled  12.50  2025-03-02 09:00   11 x1 @12.50
 *            104  2        pending    29.99  2025-03-02 10:00   20 x1 @9.99, 10 x3 @5.00, 10 x1 @5.00
 *            105  99       delivered   7.00  2025-03-02 11:00   10 x1 @7.00  (customer 99 not in silver)
 * </pre>
 */
final class ShopSilver {
  static final String CUSTOMERS =
      "customer_id BIGINT, name STRING, email STRING, region STRING, created_at TIMESTAMP";
  static final String PRODUCTS =
      "product_id BIGINT, name STRING, category STRING, price DECIMAL(10,2)";
  static final String ORDERS =
      "order_id BIGINT, customer_id BIGINT, status STRING, total_amount DECIMAL(12,2), created_at TIMESTAMP";
  static final String ORDER_ITEMS =
      "order_id BIGINT, line_no INT, product_id BIGINT, quantity INT, unit_price DECIMAL(10,2)";

  private ShopSilver() {}

  /** Writes the four silver tables where {@code config} expects them. */
  static void write(SparkSession spark, PipelineConfig config) {
    writeCustomers(spark, config);
    write(
        spark,
        config,
        "products",
        table(
            spark,
            PRODUCTS,
            row(10L, "Widget", "tools", dec("5.00")),
            row(11L, "Gadget", "tools", dec("12.50")),
            row(20L, "Novel", "books", dec("9.99"))));
    writeOrders(spark, config);
    write(
        spark,
        config,
        "order_items",
        table(
            spark,
            ORDER_ITEMS,
            row(100L, 1, 10L, 3, dec("5.00")),
            row(100L, 2, 11L, 1, dec("12.50")),
            row(101L, 1, 20L, 2, dec("9.99")),
            row(102L, 1, 10L, 2, dec("5.00")),
            row(103L, 1, 11L, 1, dec("12.50")),
            row(104L, 1, 20L, 1, dec("9.99")),
            row(104L, 2, 10L, 3, dec("5.00")),
            row(104L, 3, 10L, 1, dec("5.00")),
            row(105L, 1, 10L, 1, dec("7.00"))));
  }

  static void writeCustomers(SparkSession spark, PipelineConfig config) {
    write(
        spark,
        config,
        "customers",
        table(
            spark,
            CUSTOMERS,
            row(1L, "Ada", "ada@example.com", "EU", ts("2025-01-01T09:00:00Z")),
            row(2L, "Bob", "bob@example.com", "US", ts("2025-01-01T10:00:00Z")),
            row(3L, "Cy", "cy@example.com", "EU", ts("2025-01-02T11:00:00Z")),
            row(4L, "Dee", "dee@example.com", "US", ts("2025-01-02T12:00:00Z"))));
  }

  static void writeOrders(SparkSession spark, PipelineConfig config) {
    write(
        spark,
        config,
        "orders",
        table(
            spark,
            ORDERS,
            row(100L, 1L, "paid", dec("27.50"), ts("2025-03-01T08:00:00Z")),
            row(101L, 2L, "shipped", dec("19.98"), ts("2025-03-01T23:30:00Z")),
            row(102L, 1L, "delivered", dec("10.00"), ts("2025-03-02T00:15:00Z")),
            row(103L, 4L, "cancelled", dec("12.50"), ts("2025-03-02T09:00:00Z")),
            row(104L, 2L, "pending", dec("29.99"), ts("2025-03-02T10:00:00Z")),
            row(105L, 99L, "delivered", dec("7.00"), ts("2025-03-02T11:00:00Z"))));
  }

  static void write(SparkSession spark, PipelineConfig config, String entity, Dataset<Row> rows) {
    TableName name = config.entity(entity).map(config::silverTable).orElseThrow();
    Tables.replace(spark, rows, name);
  }

  /** A Dataset with the given DDL schema and rows. */
  static Dataset<Row> table(SparkSession spark, String ddl, Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), StructType.fromDDL(ddl));
  }

  static Row row(Object... values) {
    return RowFactory.create(values);
  }

  static BigDecimal dec(String value) {
    return new BigDecimal(value);
  }

  /** A timestamp from an ISO instant, independent of the JVM's time zone. */
  static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  static LocalDate date(String isoDate) {
    return LocalDate.parse(isoDate);
  }

  static List<Row> rows(Row... rows) {
    return List.of(rows);
  }
}
