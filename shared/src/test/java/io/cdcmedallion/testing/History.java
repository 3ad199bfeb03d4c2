package io.cdcmedallion.testing;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds small CDC history tables for tests:
 *
 * <pre>
 * History.cookbook("order_id INT, status STRING")
 *     .insert(10, 1, "new")
 *     .update(20, row(1, "new"), row(1, "paid"))
 *     .delete(30, 1, "paid")
 *     .writeTo(spark, table);
 * </pre>
 *
 * Commit timestamps follow the LSN (one second per LSN unit from 2025-01-01).
 */
public final class History {
  private static final long EPOCH_2025_MILLIS = 1735689600000L;

  private final MetadataShape shape;
  private final StructType dataSchema;
  private final List<Row> rows = new ArrayList<>();
  private int nextSortBy = 0;

  private History(MetadataShape shape, String ddl) {
    this.shape = shape;
    this.dataSchema = StructType.fromDDL(ddl);
  }

  /** A history table with the cookbook's metadata columns. */
  public static History cookbook(String dataColumnsDdl) {
    return new History(MetadataShape.COOKBOOK, dataColumnsDdl);
  }

  /** A history table with the current Lakebase metadata columns. */
  public static History lakebase(String dataColumnsDdl) {
    return new History(MetadataShape.LAKEBASE, dataColumnsDdl);
  }

  /** The values of one row, in data column order. */
  public static Object[] row(Object... values) {
    return values;
  }

  public History insert(long lsn, Object... values) {
    return event("insert", lsn, values);
  }

  /** An update: pre-image and post-image on one LSN. */
  public History update(long lsn, Object[] before, Object[] after) {
    event("update_preimage", lsn, before);
    return event("update_postimage", lsn, after);
  }

  public History delete(long lsn, Object... values) {
    return event("delete", lsn, values);
  }

  /** Any event, including change types the contract rejects; {@code lsn} may be null. */
  public History event(String changeType, Long lsn, Object... values) {
    return eventWithSortBy(changeType, lsn, (long) nextSortBy++, values);
  }

  /** An event with an explicit {@code _sort_by} (Lakebase shape only; ignored for the cookbook). */
  public History eventWithSortBy(String changeType, Long lsn, Long sortBy, Object... values) {
    if (values.length != dataSchema.size()) {
      throw new IllegalArgumentException(
          "expected " + dataSchema.size() + " values, got " + Arrays.toString(values));
    }
    List<Object> all = new ArrayList<>(Arrays.asList(values));
    Timestamp commit = lsn == null ? null : new Timestamp(EPOCH_2025_MILLIS + lsn * 1000);
    if (shape == MetadataShape.COOKBOOK) {
      all.add(changeType);
      all.add(lsn);
      all.add(commit);
    } else {
      all.add(changeType);
      all.add(lsn);
      all.add(lsn == null ? null : lsn / 10);
      all.add(commit);
      all.add(sortBy);
    }
    rows.add(RowFactory.create(all.toArray()));
    return this;
  }

  /** The full table schema: data columns, then the shape's metadata columns. */
  public StructType schema() {
    List<StructField> fields = new ArrayList<>(Arrays.asList(dataSchema.fields()));
    if (shape == MetadataShape.COOKBOOK) {
      fields.add(DataTypes.createStructField("_change_type", DataTypes.StringType, true));
      fields.add(DataTypes.createStructField("_lsn", DataTypes.LongType, true));
      fields.add(DataTypes.createStructField("_commit_timestamp", DataTypes.TimestampType, true));
    } else {
      fields.add(DataTypes.createStructField("_pg_change_type", DataTypes.StringType, true));
      fields.add(DataTypes.createStructField("_pg_lsn", DataTypes.LongType, true));
      fields.add(DataTypes.createStructField("_pg_xid", DataTypes.LongType, true));
      fields.add(DataTypes.createStructField("_timestamp", DataTypes.TimestampType, true));
      fields.add(DataTypes.createStructField("_sort_by", DataTypes.LongType, true));
    }
    return DataTypes.createStructType(fields);
  }

  public Dataset<Row> toDataset(SparkSession spark) {
    return spark.createDataFrame(rows, schema());
  }

  /** Writes the history as a Delta table, replacing any table of that name. */
  public History writeTo(SparkSession spark, TableName table) {
    Tables.replace(spark, toDataset(spark), table);
    return this;
  }
}
