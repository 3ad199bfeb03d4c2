package io.cdcmedallion.gold;

import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.quality.CheckedRows;
import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.quality.Expectations;
import io.cdcmedallion.quality.Quarantine;
import io.cdcmedallion.quality.RunContext;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a gold table's expectations on its computed rows before the table is written: {@code fail}
 * stops the build with the previous table untouched, {@code drop} moves rows to {@code
 * <catalog>.<gold_schema>.quarantine_<table>}. Failing rows are named by all their columns (gold
 * tables have no declared key).
 */
final class GoldExpectations {
  private GoldExpectations() {}

  /** The expectations of {@code table}; failing rows are named by all their columns. */
  static Expectations of(
      PipelineConfig config, GoldTableConfig table, TableName target, Dataset<Row> rows) {
    return Expectations.on(target.toString(), Arrays.asList(rows.columns()))
        .with(config.quality().forGold(table.name()));
  }

  /** The rows to write: {@code rows} without the dropped ones. */
  static Dataset<Row> check(
      SparkSession spark,
      PipelineConfig config,
      GoldTableConfig table,
      TableName target,
      Dataset<Row> rows,
      RunContext run) {
    List<Expectation> expectations = config.quality().forGold(table.name());
    if (expectations.isEmpty()) {
      return rows;
    }
    Expectations checks = of(config, table, target, rows);
    checks.requireResolvable(rows);
    CheckedRows checked = checks.apply(rows);
    run.record(target.toString(), checked.report());
    checked.requireNoFailures();
    Quarantine.append(spark, checked, config.goldQuarantineTable(table.name()), run.runId());
    return checked.kept();
  }
}
