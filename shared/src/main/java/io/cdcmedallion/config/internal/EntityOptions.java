package io.cdcmedallion.config.internal;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.InvalidRowPolicy;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.config.TiePolicy;
import io.cdcmedallion.config.TrackedColumns;
import io.cdcmedallion.config.internal.Section.ForeignName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The fields of one entity ({@code entities:} list). Where AUTO CDC has the same option under
 * another name, that name is an alias; AUTO CDC options without a counterpart get an explanation.
 */
public final class EntityOptions {
  private EntityOptions() {}

  public static final Option<String> NAME =
      Option.of("name", "identifier", Field::identifier)
          .required("the Postgres table name, e.g. orders")
          .help("Postgres table name; names the bronze, silver and quarantine tables");

  public static final Option<List<String>> KEYS =
      Option.of("keys", "one or more identifiers", Readers::keys)
          .required("the primary key column(s), e.g. keys: [order_id]")
          .help("primary key column(s)");

  public static final Option<Optional<MetadataShape>> SHAPE =
      Option.of("shape", "`auto`, `cookbook`, `lakebase`", EntityOptions::shape)
          .orElse(Optional.empty(), "`auto`")
          .help("metadata columns of the history table; `auto` detects them");

  public static final Option<TiePolicy> ON_TIE =
      Option.of(
              "on_tie", "`pick`, `fail`", f -> f.choice(TiePolicy.values(), TiePolicy::configName))
          .orElse(TiePolicy.PICK, "`pick`")
          .help(
              "several different rows at a key's latest sequence: keep one by a fixed rule, or stop");

  public static final Option<InvalidRowPolicy> ON_INVALID_ROWS =
      Option.of(
              "on_invalid_rows",
              "`fail`, `quarantine`",
              f -> f.choice(InvalidRowPolicy.values(), InvalidRowPolicy::configName))
          .orElse(InvalidRowPolicy.FAIL, "`fail`")
          .help("rows with a null key, null LSN or unknown change type");

  public static final Option<Optional<String>> HISTORY_TABLE =
      Option.of("history_table", "identifier", Readers::identifier)
          .orElse(Optional.empty(), "`lb_<name>_history`")
          .help("bronze table name");

  public static final Option<Optional<String>> SILVER_TABLE =
      Option.of("silver_table", "identifier", Readers::identifier)
          .orElse(Optional.empty(), "`silver_<name>`")
          .help("silver table name");

  public static final Option<ScdType> SCD =
      Option.of("scd", "`1`, `2`", f -> f.choice(ScdType.values(), ScdType::configName))
          .orElse(ScdType.TYPE_1, "`1`")
          .alias("stored_as_scd_type")
          .help(
              "`2` also keeps every version in `<silver_table>_history` ([SCD type 2](incremental.md#scd-type-2-history))");

  public static final Option<Optional<TrackedColumns>> TRACK_HISTORY_COLUMNS =
      Option.of("track_history_columns", "value columns", f -> tracked(f, true))
          .orElse(Optional.empty(), "every value column")
          .alias("track_history_column_list")
          .help("with `scd: 2`, the value columns whose changes open a new version");

  public static final Option<Optional<TrackedColumns>> TRACK_HISTORY_EXCEPT_COLUMNS =
      Option.of("track_history_except_columns", "value columns", f -> tracked(f, false))
          .orElse(Optional.empty(), "none")
          .alias("track_history_except_column_list")
          .help(
              "with `scd: 2`, the value columns whose changes do not open a new version; not with `track_history_columns`");

  public static final Option<List<String>> SEQUENCE_TIE_BREAK =
      Option.of("sequence_tie_break", "orderable columns", Readers::columnList)
          .orElse(List.of(), "none")
          .help(
              "data columns that order a key's events sharing one sequence ([AUTO CDC options](incremental.md#auto-cdc-options))");

  public static final Option<Optional<CdcOptions.SqlCondition>> APPLY_AS_DELETES =
      Option.of(
              "apply_as_deletes",
              "boolean Spark SQL expression",
              f ->
                  Optional.of(
                      new CdcOptions.SqlCondition(
                          Readers.sqlExpression(f, "is_deleted = true"),
                          f.nodes().source() + ":" + f.line())))
          .orElse(Optional.empty(), "none")
          .help("inserts and update post-images for which this is true count as deletes");

  public static final Option<List<String>> COLUMNS =
      Option.of("columns", "data columns", Readers::columnList)
          .orElse(List.of(), "all columns")
          .alias("column_list")
          .help("the data columns silver keeps (keys are always kept)");

  public static final Option<List<String>> EXCEPT_COLUMNS =
      Option.of("except_columns", "data columns", EntityOptions::exceptColumns)
          .orElse(List.of(), "none")
          .alias("except_column_list")
          .help("the data columns silver drops; not with `columns`");

  public static final Option<CdcOptions.NullUpdates> IGNORE_NULL_UPDATES =
      Option.of("ignore_null_updates", "`true`, `false`", EntityOptions::nullUpdates)
          .orElse(CdcOptions.NullUpdates.OVERWRITE, "`false`")
          .help(
              "a null in an insert or update post-image keeps the row's value; not with `scd: 2`");

  public static final Option<List<Values>> EXPECTATIONS =
      Option.of("expectations", "list of expectations", Readers.listOf(ExpectationOptions.SECTION))
          .orElse(List.of(), "none")
          .help(
              "data-quality rules on the bronze change events; see [data-quality.md](data-quality.md)")
          .nested(ExpectationOptions.SECTION);

  /** The fields of an entity, with AUTO CDC's names that have no counterpart here. */
  public static final Section SECTION =
      Section.of(
              NAME,
              KEYS,
              SHAPE,
              ON_TIE,
              ON_INVALID_ROWS,
              HISTORY_TABLE,
              SILVER_TABLE,
              SCD,
              TRACK_HISTORY_COLUMNS,
              TRACK_HISTORY_EXCEPT_COLUMNS,
              SEQUENCE_TIE_BREAK,
              APPLY_AS_DELETES,
              COLUMNS,
              EXCEPT_COLUMNS,
              IGNORE_NULL_UPDATES,
              EXPECTATIONS)
          .withForeignNames(
              new ForeignName(
                  "sequence_by",
                  "is an AUTO CDC option; here the sequence is the history table's LSN (_lsn or _pg_lsn)",
                  "no sequence_by (did you mean 'sequence_tie_break' for columns that order events sharing one LSN?)"),
              new ForeignName(
                  "target",
                  "is an AUTO CDC option; here the silver table is named after the entity",
                  "no target (did you mean 'silver_table'?)"),
              new ForeignName(
                  "source",
                  "is an AUTO CDC option; here the bronze table is lb_<name>_history",
                  "no source (did you mean 'history_table'?)"),
              new ForeignName(
                  "apply_as_truncates",
                  "is an AUTO CDC option that is not supported here",
                  "no apply_as_truncates (use apply_as_deletes for soft deletes)"),
              new ForeignName(
                  "ignore_null_updates_column_list",
                  "is an AUTO CDC option that is not supported here",
                  "ignore_null_updates: true, which applies to every column"),
              new ForeignName(
                  "ignore_null_updates_except_column_list",
                  "is an AUTO CDC option that is not supported here",
                  "ignore_null_updates: true, which applies to every column"));

  private static Optional<MetadataShape> shape(Field f) {
    String value = f.scalar().toLowerCase(Locale.ROOT);
    if (value.equals("auto")) {
      return Optional.empty();
    }
    return Optional.of(
        MetadataShape.fromConfigName(value)
            .orElseThrow(
                () ->
                    f.error(
                        "is '" + value + "'",
                        "auto, cookbook (_change_type, _lsn, _commit_timestamp) or lakebase (_pg_change_type, _pg_lsn, ...)")));
  }

  /**
   * {@code track_history_columns} ({@code only}) or {@code track_history_except_columns}: at most
   * one, only with {@code scd: 2}, no key columns. Whether the columns exist is checked against the
   * bronze table when silver runs.
   */
  private static Optional<TrackedColumns> tracked(Field f, boolean only) {
    if (!only && f.given(TRACK_HISTORY_COLUMNS)) {
      throw f.errorAtKey(
          "is given together with " + TRACK_HISTORY_COLUMNS.name(),
          "one of the two: the columns whose changes open a new version, or the columns whose changes do not");
    }
    if (f.earlier(SCD) != ScdType.TYPE_2) {
      throw f.errorAtKey(
          "is set, but entity history is kept only with scd: 2",
          "'scd: 2' on this entity, or no " + f.key());
    }
    List<String> keys = f.earlier(KEYS);
    List<Node> items = f.itemsOrSingle();
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = f.path() + "[" + i + "]";
      int line = f.nodes().line(items.get(i));
      String column = f.nodes().identifier(items.get(i), at);
      if (keys.contains(column)) {
        throw f.nodes()
            .error(
                line,
                at,
                "is key column '" + column + "'",
                "value columns only (the keys identify the versions and are never tracked)");
      }
      if (columns.contains(column)) {
        throw f.nodes().error(line, at, "repeats column '" + column + "'", "each column once");
      }
      columns.add(column);
    }
    if (only && columns.isEmpty()) {
      throw f.error(
          "is empty", "at least one value column (omit the field to track every value column)");
    }
    return Optional.of(only ? TrackedColumns.only(columns) : TrackedColumns.except(columns));
  }

  private static List<String> exceptColumns(Field f) {
    List<String> except = Readers.columnList(f);
    if (f.given(COLUMNS)) {
      throw f.errorAtKey(
          "is given together with 'columns'",
          "either 'columns' (the columns to keep) or 'except_columns' (the columns to drop)");
    }
    for (String key : f.earlier(KEYS)) {
      if (except.contains(key)) {
        throw f.error(
            "lists key column '" + key + "'", "data columns only; key columns are always kept");
      }
    }
    return except;
  }

  private static CdcOptions.NullUpdates nullUpdates(Field f) {
    String value = f.scalar().toLowerCase(Locale.ROOT);
    CdcOptions.NullUpdates rule =
        switch (value) {
          case "true" -> CdcOptions.NullUpdates.IGNORE;
          case "false" -> CdcOptions.NullUpdates.OVERWRITE;
          default -> throw f.error("is '" + value + "'", "true or false");
        };
    if (rule == CdcOptions.NullUpdates.IGNORE && f.earlier(SCD) == ScdType.TYPE_2) {
      throw f.errorAtKey(
          "is true, but SCD type 2 history does not carry values over null updates",
          "ignore_null_updates: false with scd: 2, or scd: 1");
    }
    return rule;
  }
}
