package io.cdcmedallion.bronze;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * The two layouts of CDC metadata columns seen on Lakehouse Sync history tables.
 *
 * <ul>
 *   <li>{@link #COOKBOOK}: {@code _change_type, _lsn, _commit_timestamp} (the Databricks cookbook)
 *   <li>{@link #LAKEBASE}: {@code _pg_change_type, _pg_lsn, _pg_xid, _timestamp, _sort_by} (current
 *       Lakebase tables)
 * </ul>
 */
public enum MetadataShape {
  COOKBOOK(
      "_change_type",
      "_lsn",
      Optional.empty(),
      Optional.of("_commit_timestamp"),
      List.of("_change_type", "_lsn", "_commit_timestamp")),
  LAKEBASE(
      "_pg_change_type",
      "_pg_lsn",
      Optional.of("_sort_by"),
      Optional.of("_timestamp"),
      List.of("_pg_change_type", "_pg_lsn", "_pg_xid", "_timestamp", "_sort_by"));

  private final String changeTypeColumn;
  private final String lsnColumn;
  private final Optional<String> tieBreakColumn;
  private final Optional<String> commitTimeColumn;
  private final List<String> metadataColumns;

  MetadataShape(
      String changeTypeColumn,
      String lsnColumn,
      Optional<String> tieBreakColumn,
      Optional<String> commitTimeColumn,
      List<String> metadataColumns) {
    this.changeTypeColumn = changeTypeColumn;
    this.lsnColumn = lsnColumn;
    this.tieBreakColumn = tieBreakColumn;
    this.commitTimeColumn = commitTimeColumn;
    this.metadataColumns = metadataColumns;
  }

  /**
   * Column holding {@code insert}, {@code update_preimage}, {@code update_postimage} or {@code
   * delete}.
   */
  public String changeTypeColumn() {
    return changeTypeColumn;
  }

  /** Column holding the Postgres log sequence number of the change. */
  public String lsnColumn() {
    return lsnColumn;
  }

  /** Column that orders changes sharing one LSN, used when the table has it. */
  public Optional<String> tieBreakColumn() {
    return tieBreakColumn;
  }

  /** Column holding the commit time of the change. */
  public Optional<String> commitTimeColumn() {
    return commitTimeColumn;
  }

  /** Every metadata column of this shape; silver tables drop those present. */
  public List<String> metadataColumns() {
    return metadataColumns;
  }

  /** The config spelling: {@code cookbook} or {@code lakebase}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Detects the shape from a table's columns: a {@code _pg_change_type} column means {@link
   * #LAKEBASE}, a {@code _change_type} column means {@link #COOKBOOK}. Empty when neither or both
   * are present.
   */
  public static Optional<MetadataShape> detect(StructType schema) {
    List<String> names = List.of(schema.fieldNames());
    boolean lakebase = names.contains(LAKEBASE.changeTypeColumn);
    boolean cookbook = names.contains(COOKBOOK.changeTypeColumn);
    if (lakebase == cookbook) {
      return Optional.empty();
    }
    return Optional.of(lakebase ? LAKEBASE : COOKBOOK);
  }

  /** Parses the config spelling; empty for anything else. */
  public static Optional<MetadataShape> fromConfigName(String name) {
    for (MetadataShape shape : values()) {
      if (shape.configName().equals(name)) {
        return Optional.of(shape);
      }
    }
    return Optional.empty();
  }
}
