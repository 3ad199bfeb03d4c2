package io.cdcmedallion.bronze;

import io.cdcmedallion.lakehouse.TableName;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;

/**
 * How one bronze history table is laid out: its shape, key, sequence and data columns. Built and
 * checked by {@link BronzeHistory}.
 *
 * @param table the history table
 * @param shape the metadata shape (detected or configured)
 * @param keys primary key columns
 * @param sequenceColumns columns that order changes, most significant first ({@code _lsn}, then
 *     {@code _sort_by} where present, then the entity's {@code sequence_tie_break} columns)
 * @param dataColumns the non-metadata columns silver keeps (all, or as {@code columns} / {@code
 *     except_columns} select), keys included, in table order
 */
public record HistoryLayout(
    TableName table,
    MetadataShape shape,
    List<String> keys,
    List<String> sequenceColumns,
    List<String> dataColumns) {
  public HistoryLayout {
    keys = List.copyOf(keys);
    sequenceColumns = List.copyOf(sequenceColumns);
    dataColumns = List.copyOf(dataColumns);
  }

  /** The change-type column of the shape. */
  public String changeTypeColumn() {
    return shape.changeTypeColumn();
  }

  /** Data columns that are not keys, in table order. */
  public List<String> valueColumns() {
    return dataColumns.stream().filter(c -> !keys.contains(c)).toList();
  }

  /**
   * True when Spark can compare values of {@code type} (no maps or variants inside), so they can
   * order events.
   */
  public static boolean isOrderable(DataType type) {
    if (type instanceof MapType || type instanceof VariantType) {
      return false;
    }
    if (type instanceof ArrayType array) {
      return isOrderable(array.elementType());
    }
    if (type instanceof StructType struct) {
      for (StructField field : struct.fields()) {
        if (!isOrderable(field.dataType())) {
          return false;
        }
      }
    }
    return true;
  }
}
