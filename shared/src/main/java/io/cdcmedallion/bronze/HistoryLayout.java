package io.cdcmedallion.bronze;

import io.cdcmedallion.lakehouse.TableName;
import java.util.List;

/**
 * How one bronze history table is laid out: its shape, key, sequence and data columns. Built and
 * checked by {@link BronzeHistory}.
 *
 * @param table the history table
 * @param shape the metadata shape (detected or configured)
 * @param keys primary key columns
 * @param sequenceColumns columns that order changes, most significant first ({@code _lsn}, then
 *     {@code _sort_by} where present)
 * @param dataColumns every non-metadata column, keys included, in table order
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
}
