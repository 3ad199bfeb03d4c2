package io.cdcmedallion.config;

import io.cdcmedallion.sql.Identifiers;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which value columns open a new version in an SCD type 2 history (AUTO CDC's {@code
 * track_history_column_list} / {@code track_history_except_column_list}): a change to any other
 * column updates the open version in place.
 *
 * @param mode every value column, only the listed ones, or all but the listed ones
 * @param columns the listed columns (empty for {@link Mode#ALL})
 */
public record TrackedColumns(Mode mode, List<String> columns) {
  /** How {@link #columns} select the tracked columns. */
  public enum Mode {
    /** Every value column is tracked. */
    ALL,
    /** Only the listed columns ({@code track_history_columns}). */
    ONLY,
    /** Every value column except the listed ones ({@code track_history_except_columns}). */
    EXCEPT
  }

  public TrackedColumns {
    Objects.requireNonNull(mode, "mode");
    columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    if (mode == Mode.ALL && !columns.isEmpty()) {
      throw new IllegalArgumentException("tracking every column takes no column list");
    }
    for (String column : columns) {
      Identifiers.requireValid(column, "tracked history column");
    }
    if (new HashSet<>(columns).size() != columns.size()) {
      throw new IllegalArgumentException("a tracked history column is listed twice: " + columns);
    }
  }

  /** Every value column is tracked (the default). */
  public static TrackedColumns all() {
    return new TrackedColumns(Mode.ALL, List.of());
  }

  /** Only {@code columns} are tracked. */
  public static TrackedColumns only(List<String> columns) {
    return new TrackedColumns(Mode.ONLY, columns);
  }

  /** Every value column but {@code columns} is tracked. */
  public static TrackedColumns except(List<String> columns) {
    return new TrackedColumns(Mode.EXCEPT, columns);
  }

  /** The config field that lists the columns, e.g. {@code track_history_columns}. */
  public String configField() {
    return mode == Mode.EXCEPT ? "track_history_except_columns" : "track_history_columns";
  }

  /** The first listed column that is not one of {@code valueColumns}. */
  public Optional<String> unknownColumn(List<String> valueColumns) {
    return columns.stream().filter(c -> !valueColumns.contains(c)).findFirst();
  }

  /** The tracked columns among {@code valueColumns}, in their order. */
  public List<String> tracked(List<String> valueColumns) {
    return switch (mode) {
      case ALL -> List.copyOf(valueColumns);
      case ONLY -> valueColumns.stream().filter(columns::contains).toList();
      case EXCEPT -> valueColumns.stream().filter(c -> !columns.contains(c)).toList();
    };
  }
}
