package io.cdcmedallion.config;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.sql.Identifiers;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One replicated Postgres table: its name, primary key and optional overrides.
 *
 * @param name entity name; the bronze table is {@code lb_<name>_history}, silver is {@code
 *     silver_<name>}
 * @param keys primary key columns, one or more
 * @param shape metadata shape to assume; empty means detect it from the table's columns
 * @param onTie what to do when a key has several different rows at its latest sequence
 * @param onInvalidRows what to do with rows that break the bronze contract
 * @param historyTable bronze table name override (default {@code lb_<name>_history})
 * @param silverTable silver table name override (default {@code silver_<name>})
 * @param scd SCD type: 1 keeps the current state; 2 also keeps {@code silver_<name>_history}
 * @param trackHistory with SCD type 2, the value columns whose changes open a new version
 * @param cdc the AUTO CDC options: tie-break columns, soft deletes, column lists, null updates
 */
public record EntityConfig(
    String name,
    List<String> keys,
    Optional<MetadataShape> shape,
    TiePolicy onTie,
    InvalidRowPolicy onInvalidRows,
    Optional<String> historyTable,
    Optional<String> silverTable,
    ScdType scd,
    TrackedColumns trackHistory,
    CdcOptions cdc) {

  public EntityConfig {
    Identifiers.requireValid(name, "entity name");
    keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("entity " + name + " needs at least one key column");
    }
    for (String key : keys) {
      Identifiers.requireValid(key, "key column of entity " + name);
    }
    if (new HashSet<>(keys).size() != keys.size()) {
      throw new IllegalArgumentException("entity " + name + " lists a key column twice: " + keys);
    }
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(onTie, "onTie");
    Objects.requireNonNull(onInvalidRows, "onInvalidRows");
    historyTable.ifPresent(t -> Identifiers.requireValid(t, "history_table of entity " + name));
    silverTable.ifPresent(t -> Identifiers.requireValid(t, "silver_table of entity " + name));
    Objects.requireNonNull(scd, "scd");
    Objects.requireNonNull(trackHistory, "trackHistory");
    Objects.requireNonNull(cdc, "cdc");
    if (scd == ScdType.TYPE_2 && cdc.ignoresNullUpdates()) {
      throw new IllegalArgumentException(
          "entity " + name + " sets ignore_null_updates with scd 2, which does not support it");
    }
    if (scd != ScdType.TYPE_2 && trackHistory.mode() != TrackedColumns.Mode.ALL) {
      throw new IllegalArgumentException(
          "entity " + name + " tracks history columns without scd 2");
    }
    for (String key : keys) {
      if (trackHistory.columns().contains(key)) {
        throw new IllegalArgumentException(
            "entity " + name + " lists key column " + key + " among tracked history columns");
      }
      if (cdc.exceptColumns().contains(key)) {
        throw new IllegalArgumentException(
            "entity " + name + " lists key column " + key + " in except_columns");
      }
    }
  }

  /**
   * An entity with defaults for every override: detected shape, pick on ties, fail on invalid rows.
   */
  public static EntityConfig of(String name, String... keys) {
    return new EntityConfig(
        name,
        List.of(keys),
        Optional.empty(),
        TiePolicy.PICK,
        InvalidRowPolicy.FAIL,
        Optional.empty(),
        Optional.empty(),
        ScdType.TYPE_1,
        TrackedColumns.all(),
        CdcOptions.NONE);
  }

  /** The bronze history table's name inside the bronze schema. */
  public String historyTableName() {
    return historyTable.orElse("lb_" + name + "_history");
  }

  /** The silver table's name inside the silver schema. */
  public String silverTableName() {
    return silverTable.orElse("silver_" + name);
  }

  /** The quarantine table's name inside the silver schema. */
  public String quarantineTableName() {
    return "quarantine_" + name;
  }

  /** A copy with another shape setting. */
  public EntityConfig withShape(Optional<MetadataShape> newShape) {
    return new EntityConfig(
        name,
        keys,
        newShape,
        onTie,
        onInvalidRows,
        historyTable,
        silverTable,
        scd,
        trackHistory,
        cdc);
  }

  /** A copy with another tie policy. */
  public EntityConfig withOnTie(TiePolicy policy) {
    return new EntityConfig(
        name,
        keys,
        shape,
        policy,
        onInvalidRows,
        historyTable,
        silverTable,
        scd,
        trackHistory,
        cdc);
  }

  /** A copy with another invalid-row policy. */
  public EntityConfig withOnInvalidRows(InvalidRowPolicy policy) {
    return new EntityConfig(
        name, keys, shape, onTie, policy, historyTable, silverTable, scd, trackHistory, cdc);
  }

  /** A copy with another SCD type and tracked-column setting. */
  public EntityConfig withScd(ScdType newScd, TrackedColumns tracked) {
    return new EntityConfig(
        name, keys, shape, onTie, onInvalidRows, historyTable, silverTable, newScd, tracked, cdc);
  }

  /** A copy with other AUTO CDC options. */
  public EntityConfig withCdc(CdcOptions options) {
    return new EntityConfig(
        name,
        keys,
        shape,
        onTie,
        onInvalidRows,
        historyTable,
        silverTable,
        scd,
        trackHistory,
        options);
  }
}
