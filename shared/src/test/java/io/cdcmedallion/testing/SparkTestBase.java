package io.cdcmedallion.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One local Delta-enabled Spark session per test class, on a lakehouse in a fresh temporary
 * directory: tables of one class never leak into another.
 */
public abstract class SparkTestBase {
  @TempDir protected static Path lakehouseDir;

  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = Sessions.local(new LocalLakehouse(lakehouseDir, "main", "local[2]", 2));
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
      spark = null;
    }
  }

  /** Rows of a SQL query, for short assertions. */
  protected static List<Row> rows(String sql) {
    return spark.sql(sql).collectAsList();
  }

  /**
   * Asserts that two Datasets have the same columns (names and types, in order; nullability is not
   * compared) and the same rows, duplicates included, in any order.
   */
  public static void assertDatasetEquals(Dataset<Row> expected, Dataset<Row> actual) {
    assertThat(describe(actual.schema().fields()))
        .as("schema")
        .isEqualTo(describe(expected.schema().fields()));
    List<Row> missing = expected.exceptAll(actual).limit(20).collectAsList();
    List<Row> unexpected = actual.exceptAll(expected).limit(20).collectAsList();
    assertThat(missing).as("rows expected but not found (up to 20)").isEmpty();
    assertThat(unexpected).as("rows found but not expected (up to 20)").isEmpty();
  }

  private static List<String> describe(StructField[] fields) {
    return Arrays.stream(fields).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
  }
}
