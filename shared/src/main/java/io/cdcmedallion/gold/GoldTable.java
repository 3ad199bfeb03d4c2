package io.cdcmedallion.gold;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One gold table: a business view computed from silver tables (the cookbook's {@code gold_<metric>}
 * materialized view).
 *
 * <p>A gold table is a pure function of Datasets: {@link #build} reads what it needs through {@link
 * SilverTables} and returns the rows to publish. It does not write anything; {@link GoldJob}
 * replaces the table with the result in one commit.
 */
public interface GoldTable {
  /** Table name in the gold schema, e.g. {@code gold_daily_order_summary}. */
  String name();

  /** One sentence saying what a row of the table is, for listings and table comments. */
  String description();

  /**
   * The table's rows, computed from silver tables. May be lazy: computation errors can surface when
   * the result is written.
   */
  Dataset<Row> build(SilverTables silver);
}
