package io.cdcmedallion.gold;

import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.RunContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Full-refresh build of gold tables (the cookbook's materialized views): compute each table from
 * the silver tables and replace {@code <catalog>.<gold_schema>.<name>} in one Delta commit. Readers
 * see the previous table or the new one, never a half-written one, and a build that fails leaves
 * the previous table as it was.
 */
public final class GoldJob {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final RunContext run;

  /**
   * @param spark the session to read silver and write gold with
   * @param config where silver and gold tables live, and the gold tables to build
   */
  public GoldJob(SparkSession spark, PipelineConfig config) {
    this(spark, config, RunContext.start("api"));
  }

  /**
   * @param run the run this build belongs to: its id marks quarantined rows, and tables with
   *     expectations record their {@link io.cdcmedallion.quality.QualityReport} there
   */
  public GoldJob(SparkSession spark, PipelineConfig config, RunContext run) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.config = Objects.requireNonNull(config, "config");
    this.run = Objects.requireNonNull(run, "run");
  }

  /**
   * Builds one gold table: a built-in Java table, or the table's SELECT when it has {@code sql}.
   */
  public GoldResult run(GoldTableConfig table) {
    long start = System.nanoTime();
    TableName target = config.goldTableName(table.name());
    GoldTable gold = resolve(table);
    try {
      Dataset<Row> rows = gold.build(new SilverTables(spark, config, target));
      rows = GoldExpectations.check(spark, config, table, target, rows, run);
      long count = Tables.replaceCounted(spark, rows, target);
      return new GoldResult(
          table.name(), target, count, Duration.ofNanos(System.nanoTime() - start));
    } catch (MedallionException e) {
      throw e;
    } catch (Exception e) {
      // Not only RuntimeException: Scala code throws checked exceptions (SparkException when a
      // task fails) without declaring them.
      throw Errors.stepFailed("gold " + table.name(), target.toString(), e);
    }
  }

  /**
   * Checks that the expectations of {@code table} resolve against its columns, without running a
   * job: the rows are planned from the current silver tables, not computed.
   */
  public void checkExpectations(GoldTableConfig table) {
    TableName target = config.goldTableName(table.name());
    Dataset<Row> rows = resolve(table).build(new SilverTables(spark, config, target));
    GoldExpectations.of(config, table, target, rows).requireResolvable(rows);
  }

  private GoldTable resolve(GoldTableConfig table) {
    if (table.isSql()) {
      return new SqlGoldTable(table);
    }
    return BuiltinGoldTables.byName(table.name())
        .orElseThrow(
            () ->
                Errors.notBuiltinGoldTable(
                    table.name(), List.copyOf(BuiltinGoldTables.names()), config.source()));
  }
}
