package io.cdcmedallion.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.sql.Timestamp;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The run log, {@code <catalog>.<gold_schema>._medallion_runs}: one row per step of every run,
 * appended when the step ends, whether it succeeded or failed.
 */
public final class RunLog {
  /** Table name of the run log inside its schema. */
  public static final String TABLE_NAME = "_medallion_runs";

  private static final String EXPECTATION_TYPE =
      "array<struct<name:string,action:string,passed:bigint,failed:bigint,dropped:bigint>>";

  private final SparkSession spark;
  private final TableName table;

  public RunLog(SparkSession spark, TableName table) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** The log table. */
  public TableName table() {
    return table;
  }

  /**
   * Serializes the first append of each run log: two steps ending at once must not both create the
   * table, or both change its schema.
   */
  private static final Object APPENDING = new Object();

  /**
   * True once this run log has appended a record: the table exists with the current schema, and
   * Delta commits concurrent blind appends to it without conflict, so later appends go side by
   * side.
   */
  private volatile boolean appended;

  /**
   * Appends one record in one Delta commit, creating the table on first use. Steps of one run end
   * on several threads ({@code MedallionPipeline} runs entities and gold tables side by side): the
   * first append goes alone, later ones side by side.
   */
  public void append(RunRecord r) {
    if (!appended) {
      synchronized (APPENDING) {
        if (!appended) {
          Tables.ensureSchema(spark, table);
          appendOne(r);
          appended = true;
          return;
        }
      }
    }
    try {
      appendOne(r);
    } catch (RuntimeException e) {
      // The table may have been dropped or changed since: the next append goes alone again.
      appended = false;
      throw e;
    }
  }

  private void appendOne(RunRecord r) {
    Column[] expectations =
        r.expectations().stream()
            .map(
                c ->
                    struct(
                        lit(c.name()).as("name"),
                        lit(c.action().configName()).as("action"),
                        lit(c.passed()).as("passed"),
                        lit(c.failed()).as("failed"),
                        lit(c.dropped()).as("dropped")))
            .toArray(Column[]::new);
    // Built from literals, not local rows, so it runs unchanged on Spark Connect.
    Dataset<Row> row =
        spark
            .range(1)
            .select(
                lit(r.runId()).as("run_id"),
                lit(r.command()).as("command"),
                lit(r.step()).as("step"),
                lit(r.target()).as("target"),
                lit(r.table()).as("table_name"),
                lit(r.mode()).as("mode"),
                lit(Timestamp.from(r.startedAt())).as("started_at"),
                lit(Timestamp.from(r.endedAt())).as("ended_at"),
                lit(r.rowsIn()).as("rows_in"),
                lit(r.rowsOut()).as("rows_out"),
                lit(r.rowsQuarantined()).as("rows_quarantined"),
                array(expectations).cast(EXPECTATION_TYPE).as("expectations"),
                lit(r.status()).as("status"),
                lit(r.error().orElse(null)).cast("string").as("error"));
    row.write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("mergeSchema", "true")
        .saveAsTable(table.quoted());
  }

  /** True when some run has been logged. */
  public boolean exists() {
    return Tables.exists(spark, table);
  }

  /** The newest {@code limit} records, newest first. */
  public Dataset<Row> latest(int limit) {
    return spark
        .table(table.quoted())
        .orderBy(col("started_at").desc(), col("run_id"), col("step").desc(), col("target"))
        .limit(limit);
  }
}
