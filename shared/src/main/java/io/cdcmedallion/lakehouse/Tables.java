package io.cdcmedallion.lakehouse;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Table operations every layer shares, written against the portable Spark SQL API only. */
public final class Tables {
  private Tables() {}

  /**
   * Runs {@code body} with {@code rows} registered as the temporary view {@code name} (for SQL such
   * as {@code MERGE INTO … USING name}), and drops the view afterwards, also when {@code body}
   * fails.
   */
  public static <T> T withTempView(Dataset<Row> rows, String name, Supplier<T> body) {
    rows.createOrReplaceTempView(name);
    try {
      return body.get();
    } finally {
      rows.sparkSession().catalog().dropTempView(name);
    }
  }

  /** True when the table exists. */
  public static boolean exists(SparkSession spark, TableName table) {
    return spark.catalog().tableExists(table.quoted());
  }

  /** Creates the table's schema (namespace) if it is missing. */
  public static void ensureSchema(SparkSession spark, TableName table) {
    spark.sql("CREATE SCHEMA IF NOT EXISTS " + table.quotedSchema());
  }

  /**
   * Replaces the table's contents and schema with {@code data} in one Delta commit: readers see
   * either the old table or the new one, never a mix, and a failure while computing {@code data}
   * leaves the old table as it was.
   */
  public static void replace(SparkSession spark, Dataset<Row> data, TableName table) {
    replace(spark, data, table, null, Map.of());
  }

  /**
   * As {@link #replace}, returning the rows written: counted on the write itself (a metric observed
   * on it, {@link ObservedMetrics}), or by counting the table it wrote when the write path reports
   * no metrics.
   */
  public static long replaceCounted(SparkSession spark, Dataset<Row> data, TableName table) {
    // One name per table: a concurrent write of another table observes under its own name.
    Observation observation = new Observation("rows_written_to_" + table);
    replace(spark, data.observe(observation, functions.count(functions.lit(1)).as("rows")), table);
    Object rows = ObservedMetrics.await(observation, ObservedMetrics.WAIT).get("rows");
    return rows == null ? count(spark, table) : ((Number) rows).longValue();
  }

  /**
   * As {@link #replace}, with {@code userMetadata} (when not null) in the commit: {@code DESCRIBE
   * HISTORY} shows it, so a later run can tell which write the table's data came from. {@code
   * newTableProperties} are set in the commit that creates the table when it does not exist yet
   * (Delta reads {@code delta.*} write options as table properties then, and ignores them when the
   * table exists).
   */
  private static void replace(
      SparkSession spark,
      Dataset<Row> data,
      TableName table,
      String userMetadata,
      Map<String, String> newTableProperties) {
    ensureSchema(spark, table);
    var writer =
        data.write()
            .format("delta")
            .mode(SaveMode.Overwrite)
            .option("overwriteSchema", "true")
            .options(newTableProperties);
    if (userMetadata != null) {
      writer = writer.option(USER_METADATA, userMetadata);
    }
    writer.saveAsTable(table.quoted());
  }

  /** The Delta write option, and {@code DESCRIBE HISTORY} column, of a commit's user metadata. */
  public static final String USER_METADATA = "userMetadata";

  /**
   * The Delta table property that lets {@code MERGE}, {@code UPDATE} and {@code DELETE} mark the
   * rows they change in a deletion vector instead of rewriting every file that holds one (Delta
   * 3.1+, Databricks Runtime 14.3+; readers need Delta 2.3+ or Databricks Runtime 12.2+).
   */
  public static final String DELETION_VECTORS = "delta.enableDeletionVectors";

  /**
   * As {@link #replace}, for a table that incremental runs {@code MERGE} into and that users read:
   * the table keeps the properties it has (a change data feed a user turned on, say), and deletion
   * vectors are turned on unless they are on already (in the creating commit for a new table, in
   * one metadata-only commit for an existing table without them), so a 1% batch writes about 1% of
   * the table instead of every file a changed key lives in.
   */
  public static void replaceMergeTarget(SparkSession spark, Dataset<Row> data, TableName table) {
    replaceMergeTarget(spark, data, table, null);
  }

  /** As {@link #replaceMergeTarget}, with {@code userMetadata} in the replacing commit. */
  public static void replaceMergeTarget(
      SparkSession spark, Dataset<Row> data, TableName table, String userMetadata) {
    // A new table gets deletion vectors in the commit that creates it; an existing one keeps its
    // properties, and gets them in a commit of their own the first time.
    replace(spark, data, table, userMetadata, Map.of(DELETION_VECTORS, "true"));
    if ("true".equalsIgnoreCase(properties(spark, table).get(DELETION_VECTORS))) {
      return;
    }
    spark.sql(
        "ALTER TABLE " + table.quoted() + " SET TBLPROPERTIES ('" + DELETION_VECTORS + "' = true)");
  }

  /**
   * Creates or replaces a table of our own that incremental runs {@code MERGE} into, in one commit
   * whose properties are exactly {@code properties} plus deletion vectors on: every property of the
   * replaced table is dropped. Not for tables users read; see {@link #replaceMergeTarget}.
   */
  public static void recreateMergeTarget(
      SparkSession spark, Dataset<Row> data, TableName table, Map<String, String> properties) {
    ensureSchema(spark, table);
    var writer =
        data.writeTo(table.quoted()).using("delta").tableProperty(DELETION_VECTORS, "true");
    for (Map.Entry<String, String> property : properties.entrySet()) {
      writer = writer.tableProperty(property.getKey(), property.getValue());
    }
    writer.createOrReplace();
  }

  /** The table's properties ({@code SHOW TBLPROPERTIES}), by name. */
  public static Map<String, String> properties(SparkSession spark, TableName table) {
    Map<String, String> properties = new HashMap<>();
    for (Row row : spark.sql("SHOW TBLPROPERTIES " + table.quoted()).collectAsList()) {
      properties.put(row.getString(0), row.getString(1));
    }
    return properties;
  }

  /** Appends {@code data} to the table in one Delta commit, creating the table if needed. */
  public static void append(SparkSession spark, Dataset<Row> data, TableName table) {
    ensureSchema(spark, table);
    data.write().format("delta").mode(SaveMode.Append).saveAsTable(table.quoted());
  }

  /**
   * The table's current Delta version, or empty when it is not a Delta table (a view, say). Reading
   * {@link #atVersion} of it gives every step of a run the same snapshot while writers go on
   * appending.
   */
  public static OptionalLong currentVersion(SparkSession spark, TableName table) {
    if (!"delta".equalsIgnoreCase(provider(spark, table))) {
      return OptionalLong.empty();
    }
    Row latest =
        spark.sql("DESCRIBE HISTORY " + table.quoted() + " LIMIT 1").select("version").first();
    return OptionalLong.of(latest.getLong(0));
  }

  /**
   * The rows the table's latest Delta commit wrote ({@code numOutputRows} of its {@code
   * operationMetrics} in {@code DESCRIBE HISTORY}), or empty when that commit recorded none (a
   * metadata-only commit, or history metrics turned off).
   */
  public static OptionalLong lastCommitRows(SparkSession spark, TableName table) {
    Row latest =
        spark
            .sql("DESCRIBE HISTORY " + table.quoted() + " LIMIT 1")
            .selectExpr("operationMetrics['numOutputRows']")
            .first();
    return latest.isNullAt(0)
        ? OptionalLong.empty()
        : OptionalLong.of(Long.parseLong(latest.getString(0)));
  }

  /** The table as of one Delta version (time travel). */
  public static Dataset<Row> atVersion(SparkSession spark, TableName table, long version) {
    return spark.sql("SELECT * FROM " + table.quoted() + " VERSION AS OF " + version);
  }

  private static String provider(SparkSession spark, TableName table) {
    // DESCRIBE TABLE EXTENDED lists "Provider" for tables and none for views.
    for (Row row : spark.sql("DESCRIBE TABLE EXTENDED " + table.quoted()).collectAsList()) {
      if ("Provider".equals(row.getString(0))) {
        return row.getString(1);
      }
    }
    return "";
  }

  /** Row count of a table (answered from Delta statistics where possible). */
  public static long count(SparkSession spark, TableName table) {
    return spark.table(table.quoted()).count();
  }
}
