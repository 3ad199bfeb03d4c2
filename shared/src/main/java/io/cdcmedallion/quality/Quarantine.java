package io.cdcmedallion.quality;

import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.util.List;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Appends rows removed by {@code drop} expectations to a quarantine table, so nothing is lost: all
 * the input's columns, {@value Expectations#FAILED_COLUMN}, {@value #RUN_ID_COLUMN} and {@value
 * #TIME_COLUMN}. Each run appends; the run id tells runs apart.
 *
 * <p>A table whose checks can drop rows has its quarantine table from its first run on, empty until
 * a row is dropped, so that queries, notebooks and alerts written against it always resolve.
 */
public final class Quarantine {
  /** The id of the run that set the row aside (as in the run log). */
  public static final String RUN_ID_COLUMN = "_run_id";

  /** When the row was set aside. */
  public static final String TIME_COLUMN = "_quarantined_at";

  private Quarantine() {}

  /**
   * Appends the quarantined rows of {@code checked} to {@code table} in one Delta commit; writes
   * nothing when there are none. New columns of the input are added to the table.
   */
  public static void append(
      SparkSession spark, CheckedRows checked, TableName table, String runId) {
    if (checked.report().rowsQuarantined() == 0) {
      createEmptyIfMissing(spark, checked, table, runId);
      return;
    }
    writer(spark, checked, table, runId).saveAsTable(table.quoted());
  }

  /**
   * {@link #append} as a Delta idempotent write: a second append with the same {@code appId} and a
   * {@code version} not above the last one written is skipped, so a replayed micro-batch does not
   * quarantine its rows twice.
   */
  public static void appendOnce(
      SparkSession spark,
      CheckedRows checked,
      TableName table,
      String runId,
      String appId,
      long version) {
    if (checked.report().rowsQuarantined() == 0) {
      createEmptyIfMissing(spark, checked, table, runId);
      return;
    }
    writer(spark, checked, table, runId)
        .option("txnAppId", appId)
        .option("txnVersion", version)
        .saveAsTable(table.quoted());
  }

  /**
   * Creates {@code table} with the quarantine's columns and no rows when the checks include a
   * {@code drop} expectation and the table does not exist yet; one commit, only on the first run.
   */
  private static void createEmptyIfMissing(
      SparkSession spark, CheckedRows checked, TableName table, String runId) {
    boolean canDrop =
        checked.report().expectations().stream()
            .anyMatch(c -> c.action() == ExpectationAction.DROP);
    if (!canDrop || Tables.exists(spark, table)) {
      return;
    }
    Tables.ensureSchema(spark, table);
    spark
        .createDataFrame(List.of(), rowsOf(checked, runId).schema())
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .saveAsTable(table.quoted());
  }

  private static Dataset<Row> rowsOf(CheckedRows checked, String runId) {
    return checked
        .quarantined()
        .withColumn(RUN_ID_COLUMN, lit(runId))
        .withColumn(TIME_COLUMN, current_timestamp());
  }

  private static DataFrameWriter<Row> writer(
      SparkSession spark, CheckedRows checked, TableName table, String runId) {
    Tables.ensureSchema(spark, table);
    return rowsOf(checked, runId)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("mergeSchema", "true");
  }
}
