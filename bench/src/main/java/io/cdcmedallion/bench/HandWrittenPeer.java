package io.cdcmedallion.bench;

import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The incremental silver that teams write by hand today, as the benchmark's peer: a Delta stream
 * over the history table, {@code foreachBatch} keeps the latest event per key of the micro-batch
 * ({@code ROW_NUMBER() OVER (PARTITION BY key ORDER BY _lsn DESC) = 1}) and applies it with one
 * {@code MERGE INTO} silver: a delete deletes, anything else overwrites or inserts. No state table,
 * no tombstones, no comparison with what silver already holds, no tie rule.
 *
 * <p>So it is right only while every batch's events are newer than everything already applied: a
 * late older update overwrites a newer row, and an update that arrives after its key's delete
 * brings the key back (see {@code HandWrittenPeerTest}).
 */
final class HandWrittenPeer {
  private final SparkSession spark;
  private final TableName history;
  private final TableName silver;
  private final List<String> columns;
  private final String key;
  private final String checkpoint;

  /**
   * @param columns silver's columns, in order, the key among them
   * @param checkpoint the stream's checkpoint folder
   */
  HandWrittenPeer(
      SparkSession spark,
      TableName history,
      TableName silver,
      String key,
      List<String> columns,
      String checkpoint) {
    this.spark = spark;
    this.history = history;
    this.silver = silver;
    this.key = key;
    this.columns = List.copyOf(columns);
    this.checkpoint = checkpoint;
  }

  /**
   * Starts silver as the cookbook's full refresh of the history as it is now, and returns the
   * history version the stream should start after.
   */
  long initialize() {
    Tables.ensureSchema(spark, silver);
    spark
        .sql(
            "CREATE OR REPLACE TABLE "
                + silver.quoted()
                + " USING delta AS SELECT "
                + String.join(", ", columns)
                + " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
                + key
                + " ORDER BY _lsn DESC) AS rn FROM "
                + history.quoted()
                + " WHERE _change_type IN ('insert', 'update_postimage', 'delete'))"
                + " WHERE rn = 1 AND _change_type != 'delete'")
        .collect();
    return spark
        .sql("DESCRIBE HISTORY " + history.quoted() + " LIMIT 1")
        .select("version")
        .first()
        .getLong(0);
  }

  /**
   * Applies every history change after version {@code after} not yet applied (available-now) and
   * returns the silver rows its MERGEs inserted, updated or deleted.
   */
  long run(long after) throws TimeoutException, StreamingQueryException {
    long[] affected = {0};
    Dataset<Row> changes =
        spark
            .readStream()
            .format("delta")
            .option("startingVersion", after + 1)
            .table(history.quoted());
    VoidFunction2<Dataset<Row>, Long> apply = (batch, id) -> affected[0] += merge(batch);
    StreamingQuery query =
        changes
            .writeStream()
            .option("checkpointLocation", checkpoint)
            .trigger(Trigger.AvailableNow())
            .foreachBatch(apply)
            .start();
    query.awaitTermination();
    return affected[0];
  }

  private long merge(Dataset<Row> batch) {
    String view = "peer_batch";
    batch.createOrReplaceTempView(view);
    return affectedRows(batch.sparkSession().sql(mergeSql(silver, view, key, columns)).first());
  }

  /** The rows a {@code MERGE} inserted, updated or deleted, from its result row. */
  static long affectedRows(Row mergeResult) {
    return mergeResult.getLong(mergeResult.fieldIndex("num_affected_rows"));
  }

  /**
   * The peer's {@code MERGE INTO silver} of the changes in {@code source} (a table or view name, as
   * SQL): the latest event per key of those changes by {@code ROW_NUMBER}; a delete deletes,
   * anything else overwrites or inserts.
   */
  static String mergeSql(TableName silver, String source, String key, List<String> columns) {
    String all = String.join(", ", columns);
    String latest =
        "SELECT "
            + all
            + ", _change_type FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
            + key
            + " ORDER BY _lsn DESC) AS rn FROM "
            + source
            + " WHERE _change_type IN ('insert', 'update_postimage', 'delete')) WHERE rn = 1";
    String set =
        columns.stream()
            .filter(c -> !c.equals(key))
            .map(c -> "t." + c + " = s." + c)
            .collect(Collectors.joining(", "));
    String values = columns.stream().map(c -> "s." + c).collect(Collectors.joining(", "));
    return "MERGE INTO "
        + silver.quoted()
        + " t USING ("
        + latest
        + ") s ON t."
        + key
        + " = s."
        + key
        + " WHEN MATCHED AND s._change_type = 'delete' THEN DELETE"
        + " WHEN MATCHED THEN UPDATE SET "
        + set
        + " WHEN NOT MATCHED AND s._change_type != 'delete' THEN INSERT ("
        + all
        + ") VALUES ("
        + values
        + ")";
  }
}
