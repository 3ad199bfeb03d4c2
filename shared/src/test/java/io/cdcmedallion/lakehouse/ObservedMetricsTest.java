package io.cdcmedallion.lakehouse;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.testing.SparkTestBase;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Counting the rows a write wrote: observed metrics, bounded waits, and Delta's own record. */
class ObservedMetricsTest extends SparkTestBase {
  private static final TableName TABLE = new TableName("main", "lakehouse_test", "observed");

  @Test
  void theMetricsObservedOnAWriteAndTheCommitsOwnCountAgree() {
    Observation observation = new Observation("three_rows");
    Dataset<Row> rows = spark.range(3).toDF("id").observe(observation, count(lit(1)).as("rows"));
    Tables.replace(spark, rows, TABLE);

    assertThat(ObservedMetrics.await(observation, ObservedMetrics.WAIT)).containsEntry("rows", 3L);
    assertThat(Tables.lastCommitRows(spark, TABLE)).hasValue(3);

    Tables.append(spark, spark.range(5).toDF("id"), TABLE);
    assertThat(Tables.lastCommitRows(spark, TABLE)).hasValue(5);
  }

  @Test
  void metricsThatNeverArriveGiveAnEmptyMapAfterTheWait() {
    Observation neverRun = new Observation("never_run");

    assertThat(ObservedMetrics.await(neverRun, Duration.ofMillis(200))).isEmpty();
  }

  @Test
  void aCommitThatWroteNoRowsHasNoCount() {
    TableName table = new TableName("main", "lakehouse_test", "metadata_only");
    Tables.replace(spark, spark.range(2).toDF("id"), table);
    spark.sql("ALTER TABLE " + table.quoted() + " SET TBLPROPERTIES ('purpose' = 'test')");

    assertThat(Tables.lastCommitRows(spark, table)).isEmpty();
  }
}
