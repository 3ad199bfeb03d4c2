package io.cdcmedallion.errors;

import io.cdcmedallion.errors.MedallionException.Kind;
import java.util.List;

/**
 * Creates every user-facing error. Each message is one line: what went wrong, why, and what to do.
 */
public final class Errors {
  private Errors() {}

  public static MedallionException usage(String message) {
    return new MedallionException(Kind.USAGE, message, null);
  }

  public static MedallionException invalidIdentifier(String what, String value) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Invalid %s: '%s'. Use letters, digits and underscores, starting with a letter or underscore (at most 128).",
            what, value),
        null);
  }

  public static MedallionException configFileUnreadable(String source, Throwable cause) {
    String reason = cause == null ? "not found" : firstLine(cause);
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "Cannot read config file %s (%s). Pass an existing YAML file with --config, or omit --config to use the sample shop pipeline.",
            source, reason),
        cause);
  }

  /**
   * An invalid config field.
   *
   * @param source config file
   * @param line 1-based line, 0 when unknown
   * @param field dotted path of the field, e.g. {@code entities[1].keys}
   * @param problem what is wrong, e.g. "is missing"
   * @param allowed what is allowed instead, or null
   */
  public static MedallionException configInvalid(
      String source, int line, String field, String problem, String allowed) {
    String where = line > 0 ? source + ":" + line : source;
    String message =
        String.format("%s: %s %s", where, field, problem)
            + (allowed == null ? "." : "; expected " + allowed + ".");
    return new MedallionException(Kind.CONFIG, message, null);
  }

  public static MedallionException unknownEntity(
      String name, List<String> configured, String source) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "No entity '%s' in %s. Configured entities: %s. Pass one of them to --entity or add it to the config.",
            name, source, String.join(", ", configured)),
        null);
  }

  public static MedallionException unknownGoldTable(
      String name, List<String> configured, String source) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "No gold table '%s' in %s. Configured gold tables: %s. Pass one of them to --table or add it to the config.",
            name, source, String.join(", ", configured)),
        null);
  }

  public static MedallionException bronzeTableMissing(String table, String entity, String source) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s for entity '%s' does not exist. Point catalog/schemas.bronze in %s at your Lakehouse Sync tables, or write sample history first (the generate command).",
            table, entity, source),
        null);
  }

  public static MedallionException silverTableMissing(String table, String goldTable) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Gold table %s reads silver table %s, which does not exist. Build silver first (the silver command or job task), then gold.",
            goldTable, table),
        null);
  }

  public static MedallionException silverSchemaMissing(String schema, String goldTable) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Gold table %s reads silver schema %s, which does not exist. Build silver first (the silver command or job task), then gold.",
            goldTable, schema),
        null);
  }

  public static MedallionException notBuiltinGoldTable(
      String name, List<String> builtins, String source) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "Gold table '%s' in %s has no 'sql' file and is not a built-in gold table (built-ins: %s). Add 'sql: <file>.sql' holding one SELECT to its entry, or use a built-in name.",
            name, source, String.join(", ", builtins)),
        null);
  }

  public static MedallionException shapeNotDetected(
      String table, String entity, String source, boolean both) {
    String found =
        both
            ? "has both _change_type and _pg_change_type columns"
            : "has neither _change_type (cookbook shape) nor _pg_change_type (Lakebase shape)";
    return new MedallionException(
        Kind.CONTRACT,
        String.format(
            "Table %s %s, so its CDC metadata shape is unknown. Set 'shape: cookbook' or 'shape: lakebase' for entity '%s' in %s.",
            table, found, entity, source),
        null);
  }

  public static MedallionException missingColumn(
      String table, String column, String role, List<String> columns, String fix) {
    return new MedallionException(
        Kind.CONTRACT,
        String.format(
            "Table %s has no column '%s' (%s); its columns are: %s. %s",
            table, column, role, String.join(", ", columns), fix),
        null);
  }

  /** A key column the config names is not in the bronze table: a config error. */
  public static MedallionException keyColumnMissing(
      String table, String column, String role, List<String> columns, String fix) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "Table %s has no column '%s' (%s); its columns are: %s. %s",
            table, column, role, String.join(", ", columns), fix),
        null);
  }

  /**
   * A column listed in {@code track_history_columns} or {@code track_history_except_columns} that
   * is not a value column of the bronze table (checked when silver runs; the loader has no table).
   */
  public static MedallionException trackedColumnUnknown(
      String source,
      String entity,
      String field,
      String column,
      String table,
      List<String> values) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "Entity '%s' in %s lists '%s' in %s, but bronze table %s has no such value column (value columns: %s). Fix %s of entity '%s' in %s.",
            entity, source, column, field, table, String.join(", ", values), field, entity, source),
        null);
  }

  public static MedallionException invalidRows(
      String table,
      String entity,
      long count,
      String details,
      String quarantineTable,
      String source) {
    return new MedallionException(
        Kind.CONTRACT,
        String.format(
            "Table %s has %d %s the CDC history contract (%s). Fix those rows at the source, or set 'on_invalid_rows: quarantine' for entity '%s' in %s to set them aside in %s.",
            table,
            count,
            count == 1 ? "row that breaks" : "rows that break",
            details,
            entity,
            source,
            quarantineTable),
        null);
  }

  public static MedallionException tiesFound(
      String table, String entity, long keys, String examples, String source) {
    return new MedallionException(
        Kind.CONTRACT,
        String.format(
            "Table %s has %d key%s with several different rows at the same latest sequence (%s), so the current row is ambiguous. Set 'on_tie: pick' for entity '%s' in %s to keep one by the documented rule.",
            table, keys, keys == 1 ? "" : "s", examples, entity, source),
        null);
  }

  public static MedallionException unsupportedSequenceType(
      String table, String column, String type) {
    return new MedallionException(
        Kind.CONTRACT,
        String.format(
            "Table %s: sequence column '%s' has type %s; expected an integer, decimal, or a pg_lsn string such as '16/B374D848'.",
            table, column, type),
        null);
  }

  /**
   * A {@code sequence_tie_break} column that cannot order events.
   *
   * @param problem e.g. "has type map<string,string>, which cannot be ordered"
   */
  public static MedallionException tieBreakInvalid(
      String table, String column, String problem, String entity, String source) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "Table %s: sequence_tie_break column '%s' %s. Remove it from 'sequence_tie_break' of entity '%s' in %s, or name a data column of a number, text, date or timestamp type.",
            table, column, problem, entity, source),
        null);
  }

  /** The {@code apply_as_deletes} expression does not resolve on the table, or is not boolean. */
  public static MedallionException applyAsDeletesInvalid(
      String origin, String expression, String table, String entity, String problem) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "%s: apply_as_deletes (%s) of entity '%s' cannot be evaluated on %s: %s. Fix it there: a boolean Spark SQL expression over the table's columns, e.g. is_deleted = true.",
            origin, expression, entity, table, problem),
        null);
  }

  public static MedallionException goldSqlFailed(String table, String sqlSource, Throwable cause) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "Gold table %s: the SELECT in %s failed: %s. Fix the SELECT; unqualified table names resolve in the silver schema.",
            table, sqlSource, firstLine(cause)),
        cause);
  }

  public static MedallionException lakehouseInUse(String dir) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "Lakehouse %s is in use by another cdc-medallion process (its metastore and Delta logs are safe for one process at a time). Wait for that process to finish, or pass another --lakehouse.",
            dir),
        null);
  }

  /** The metastore of a local lakehouse names a schema stored outside the lakehouse. */
  public static MedallionException lakehouseNotSelfContained(
      String dir, String schema, String location) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Lakehouse %s is not self-contained: its metastore stores schema %s at %s, outside its warehouse, so writing would change another lakehouse. Nothing was written; move that schema's directory under %s, or pass another --lakehouse.",
            dir, schema, location, dir + "/warehouse"),
        null);
  }

  /**
   * Wraps a Spark or Delta failure once, adding the step and the table. When Spark wraps the real
   * failure (a task failure wraps the error raised while computing a row), the innermost cause is
   * named too, since that is the one to fix.
   */
  public static MedallionException stepFailed(String step, String table, Throwable cause) {
    if (cause instanceof MedallionException medallion) {
      return medallion;
    }
    String message = String.format("%s failed on %s: %s", step, table, firstLine(cause));
    Throwable root = rootCause(cause);
    if (root != cause && root.getMessage() != null && !root.getMessage().isBlank()) {
      message += " (caused by: " + firstLine(root) + ")";
    }
    return new MedallionException(Kind.EXECUTION, message, cause);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
      root = root.getCause();
    }
    return root;
  }

  /** The first line of a throwable's message (Spark messages can run over many lines). */
  public static String firstLine(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    String line = message.strip().lines().findFirst().orElse("");
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }

  public static MedallionException incrementalStateUnusable(
      String table, String entity, String reason) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Incremental silver cannot use its state table %s for entity '%s': %s. Rerun silver with --mode incremental --full-refresh --entity %s to rebuild it from all history.",
            table, entity, reason, entity),
        null);
  }

  /** A file of an entity's incremental checkpoint cannot be read (truncated, empty, corrupt). */
  public static MedallionException checkpointDamaged(
      String entity, String checkpoint, String damage, Throwable cause) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "The incremental checkpoint of entity '%s' at %s is damaged (%s). Rerun silver with --mode incremental --full-refresh --entity %s to rebuild it from all history and start a new checkpoint.",
            entity, checkpoint, damage, entity),
        cause);
  }

  public static MedallionException bronzeRewritten(String table, String entity) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s was rewritten (rows updated or deleted, not only appended), so incremental silver cannot continue from its checkpoint for entity '%s'. Rerun silver with --mode incremental --full-refresh --entity %s to rebuild it from all history.",
            table, entity, entity),
        null);
  }

  public static MedallionException silverSchemaChanged(String table, String entity, String change) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "The bronze schema of entity '%s' changed in a way incremental silver cannot apply to %s (%s). Rerun silver with --mode incremental --full-refresh --entity %s to rebuild it from all history.",
            entity, table, change, entity),
        null);
  }

  // ---------------------------------------------------------------- Data quality

  /** An expectation's expression does not resolve against the table, or is not boolean. */
  public static MedallionException expectationInvalid(
      String source, String name, String expression, String table, String problem) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "%s: expectation '%s' (%s) cannot be checked on %s: %s. Fix 'expr' there: a boolean Spark SQL expression over the table's columns.",
            source, name, expression, table, problem),
        null);
  }

  /** A {@code fail} expectation failed on some rows; nothing was written. */
  public static MedallionException expectationFailed(
      String name,
      String expression,
      String table,
      long failed,
      long rows,
      String examples,
      String source) {
    return new MedallionException(
        Kind.CONTRACT,
        String.format(
            "Expectation '%s' (%s) failed on %d of %d row%s of %s (e.g. %s); the run stopped before writing anything. Fix those rows at the source, or set 'action: warn' or 'action: drop' for it at %s.",
            name, expression, failed, rows, rows == 1 ? "" : "s", table, examples, source),
        null);
  }

  // ---------------------------------------------------------------- Databricks

  public static MedallionException connectNotOnClasspath() {
    return new MedallionException(
        MedallionException.Kind.USAGE,
        "--connect needs Databricks Connect, which this build does not include. Build with"
            + " `mvn -Pdbconnect package` and run that jar, or drop --connect to run locally.",
        null);
  }

  public static MedallionException connectFailed(Throwable cause) {
    return new MedallionException(
        MedallionException.Kind.EXECUTION,
        "Cannot open a Databricks Connect session: "
            + firstLine(rootCause(cause))
            + ". Check the profile in ~/.databrickscfg (or DATABRICKS_HOST and its credentials),"
            + " and --cluster-id or --serverless.",
        cause);
  }

  public static MedallionException jobFailed(String command, int exitCode) {
    return new MedallionException(
        MedallionException.Kind.EXECUTION,
        String.format(
            "cdc-medallion %s failed (exit code %d); the error is printed above in the driver log.",
            command, exitCode),
        null);
  }
}
