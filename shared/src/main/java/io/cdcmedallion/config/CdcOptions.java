package io.cdcmedallion.config;

import io.cdcmedallion.sql.Identifiers;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The AUTO CDC options of one entity, beyond its keys and the shape's sequence.
 *
 * @param sequenceTieBreak data columns that order events of a key sharing one sequence ({@code
 *     _lsn}, then {@code _sort_by} where present), most significant first; null sorts lowest
 * @param applyAsDeletes a boolean Spark SQL expression: insert and update post-image rows for which
 *     it is true count as deletes (soft deletes), besides the shape's {@code delete} events
 * @param columns the data columns silver keeps (keys are always kept); empty means all
 * @param exceptColumns data columns silver drops; never keys; empty means none
 * @param nullUpdates whether a null in an insert or update post-image overwrites the row's value
 */
public record CdcOptions(
    List<String> sequenceTieBreak,
    Optional<SqlCondition> applyAsDeletes,
    List<String> columns,
    List<String> exceptColumns,
    NullUpdates nullUpdates) {

  /** No options: the shape's sequence, its deletes, every column, nulls overwrite. */
  public static final CdcOptions NONE =
      new CdcOptions(List.of(), Optional.empty(), List.of(), List.of(), NullUpdates.OVERWRITE);

  /** What a null column of an insert or update post-image does to the row. */
  public enum NullUpdates {
    /** The null replaces the value (the default, like AUTO CDC). */
    OVERWRITE,
    /** The row keeps its value ({@code ignore_null_updates: true}). */
    IGNORE
  }

  /**
   * A SQL expression from the config and where it was written.
   *
   * @param sql the expression text
   * @param origin {@code <file>:<line>}, for messages
   */
  public record SqlCondition(String sql, String origin) {
    public SqlCondition {
      Objects.requireNonNull(sql, "sql");
      Objects.requireNonNull(origin, "origin");
    }
  }

  public CdcOptions {
    sequenceTieBreak = List.copyOf(Objects.requireNonNull(sequenceTieBreak, "sequenceTieBreak"));
    Objects.requireNonNull(applyAsDeletes, "applyAsDeletes");
    columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    exceptColumns = List.copyOf(Objects.requireNonNull(exceptColumns, "exceptColumns"));
    Objects.requireNonNull(nullUpdates, "nullUpdates");
    for (List<String> list : List.of(sequenceTieBreak, columns, exceptColumns)) {
      for (String column : list) {
        Identifiers.requireValid(column, "column of an entity's CDC options");
      }
      if (new HashSet<>(list).size() != list.size()) {
        throw new IllegalArgumentException("a CDC option lists a column twice: " + list);
      }
    }
    if (!columns.isEmpty() && !exceptColumns.isEmpty()) {
      throw new IllegalArgumentException("columns and except_columns cannot both be given");
    }
  }

  /** A copy with other tie-break columns. */
  public CdcOptions withSequenceTieBreak(String... newColumns) {
    return new CdcOptions(List.of(newColumns), applyAsDeletes, columns, exceptColumns, nullUpdates);
  }

  /** A copy whose rows matching {@code sql} count as deletes. */
  public CdcOptions withApplyAsDeletes(String sql) {
    return new CdcOptions(
        sequenceTieBreak,
        Optional.of(new SqlCondition(sql, "apply_as_deletes")),
        columns,
        exceptColumns,
        nullUpdates);
  }

  /** A copy keeping only {@code newColumns} (and the keys). */
  public CdcOptions withColumns(String... newColumns) {
    return new CdcOptions(
        sequenceTieBreak, applyAsDeletes, List.of(newColumns), List.of(), nullUpdates);
  }

  /** A copy dropping {@code newColumns}. */
  public CdcOptions withExceptColumns(String... newColumns) {
    return new CdcOptions(
        sequenceTieBreak, applyAsDeletes, List.of(), List.of(newColumns), nullUpdates);
  }

  /** A copy with another null-update rule. */
  public CdcOptions withNullUpdates(NullUpdates rule) {
    return new CdcOptions(sequenceTieBreak, applyAsDeletes, columns, exceptColumns, rule);
  }

  /** True when nulls in inserts and update post-images keep the row's values. */
  public boolean ignoresNullUpdates() {
    return nullUpdates == NullUpdates.IGNORE;
  }

  /**
   * A text that changes whenever the options change what silver or its state table holds; the state
   * table records it so that incremental silver rebuilds after a change.
   */
  public String fingerprint() {
    return String.join(
        "; ",
        "sequence_tie_break=" + sequenceTieBreak,
        "apply_as_deletes=" + applyAsDeletes.map(SqlCondition::sql).orElse(""),
        "columns=" + columns,
        "except_columns=" + exceptColumns,
        "null_updates=" + nullUpdates);
  }
}
