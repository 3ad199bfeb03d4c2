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
            "Bronze table %s for entity '%s' does not exist. Run './medallion generate' for sample data, or point catalog/schemas.bronze in %s at your Lakehouse Sync tables.",
            table, entity, source),
        null);
  }

  public static MedallionException silverTableMissing(String table, String goldTable) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Gold table %s reads silver table %s, which does not exist. Run './medallion silver' first.",
            goldTable, table),
        null);
  }

  public static MedallionException silverSchemaMissing(String schema, String goldTable) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Gold table %s reads silver schema %s, which does not exist. Run './medallion silver' first.",
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
            "Table %s has %d row%s that break the CDC history contract (%s). Fix those rows at the source, or set 'on_invalid_rows: quarantine' for entity '%s' in %s to set them aside in %s.",
            table, count, count == 1 ? "" : "s", details, entity, source, quarantineTable),
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

  public static MedallionException sampleScaleOutOfRange(int scale, int max) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Invalid sample scale %d: it counts thousands of orders and must be between 1 and %d. Pass a scale in that range.",
            scale, max),
        null);
  }

  public static MedallionException sampleEntityNotConfigured(String entity, String source) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "No entity '%s' in %s, but the sample shop generator writes its bronze table. Add entities customers, products, orders and order_items to the config, or omit --config to use the sample shop pipeline.",
            entity, source),
        null);
  }

  public static MedallionException sampleTableMissing(String table, String entity) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s for entity '%s' does not exist, so there is no sample history to append to. Run ./medallion generate first.",
            table, entity),
        null);
  }

  public static MedallionException sampleShapeMismatch(
      String table, String found, String requested) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Bronze table %s has the %s metadata shape, but the append asked for %s; one table cannot mix shapes. Append with shape %s, or run ./medallion generate to recreate the tables in the %s shape.",
            table, found, requested, found, requested),
        null);
  }

  public static MedallionException sampleTableUnrecognized(String table) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s has neither a _change_type nor a _pg_change_type column, so it does not hold sample history to append to. Run ./medallion generate to recreate the sample tables.",
            table),
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
            "Incremental silver cannot use its state table %s for entity '%s': %s. Run ./medallion silver --mode incremental --full-refresh --entity %s to rebuild it from all history.",
            table, entity, reason, entity),
        null);
  }

  public static MedallionException bronzeRewritten(String table, String entity) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s was rewritten (rows updated or deleted, not only appended), so incremental silver cannot continue from its checkpoint for entity '%s'. Run ./medallion silver --mode incremental --full-refresh --entity %s to rebuild from all history.",
            table, entity, entity),
        null);
  }

  public static MedallionException silverSchemaChanged(String table, String entity, String change) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "The bronze schema of entity '%s' changed in a way incremental silver cannot apply to %s (%s). Run ./medallion silver --mode incremental --full-refresh --entity %s to rebuild it from all history.",
            entity, table, change, entity),
        null);
  }

  // ---------------------------------------------------------------- Postgres source

  public static MedallionException postgresUrlInvalid(String redactedUrl) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Invalid --jdbc-url '%s'. Use jdbc:postgresql://HOST:PORT/DATABASE, e.g. jdbc:postgresql://localhost:5432/shop.",
            redactedUrl),
        null);
  }

  public static MedallionException postgresPasswordInUrl(String redactedUrl) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "The JDBC URL %s holds a password. Remove password= from the URL and set PGPASSWORD or add the password to ~/.pgpass instead.",
            redactedUrl),
        null);
  }

  public static MedallionException postgresConnectFailed(
      String redactedUrl, String user, String reason) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "Cannot connect to %s as %s: %s. Check the URL, --user, and PGPASSWORD or ~/.pgpass.",
            redactedUrl, user, reason),
        null);
  }

  public static MedallionException postgresQueryFailed(
      String step, String reason, Throwable cause) {
    return new MedallionException(
        Kind.EXECUTION, String.format("%s failed in Postgres: %s", step, reason), cause);
  }

  public static MedallionException syncNeedsLogicalWal(String walLevel) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "Postgres runs with wal_level=%s; logical replication needs wal_level=logical. Set it in postgresql.conf (ALTER SYSTEM SET wal_level = logical) and restart Postgres.",
            walLevel),
        null);
  }

  public static MedallionException syncTableNotReady(String table, String problem, String fix) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Table %s cannot be synced: %s. Fix: %s (./medallion preflight lists every problem).",
            table, problem, fix),
        null);
  }

  public static MedallionException syncNoTables(String schema) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Postgres schema %s has no tables to sync. Pass --schema with the schema that holds them, or --tables.",
            schema),
        null);
  }

  public static MedallionException syncSchemaChanged(
      String table, String history, String before, String after) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Sync stopped: table %s changed from %s to %s, which history table %s cannot follow (only new columns at the end can be added). Recreate the history table (drop it and the replication slot) to start over from a new snapshot.",
            table, before, after, history),
        null);
  }

  public static MedallionException syncNoOldImage(String table, String schema) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Sync stopped: an update or delete on %s.%s arrived without the old row. Run ALTER TABLE %s.%s REPLICA IDENTITY FULL, then restart the sync.",
            schema, table, schema, table),
        null);
  }

  public static MedallionException syncTruncated(String tables, String lsn) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "Sync stopped: TRUNCATE of %s at LSN %s cannot be written as row changes; the changes before it are committed. Rebuild the history from a new snapshot (drop the slot and the history table), or rerun with --on-truncate skip to ignore truncates.",
            tables, lsn),
        null);
  }

  public static MedallionException syncInterrupted() {
    return new MedallionException(
        Kind.EXECUTION,
        "Sync interrupted; changes not yet committed to Delta are sent again on the next start.",
        null);
  }

  public static MedallionException publishNoKey(String table) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Gold table %s has no known primary key for Postgres. Pass --key with its key column(s), e.g. --key order_date,status.",
            table),
        null);
  }

  public static MedallionException publishBadKey(String table, String column, String columns) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Key column %s is not a column of gold table %s (columns: %s). Pass --key with columns of the table.",
            column, table, columns),
        null);
  }

  public static MedallionException publishUnsupportedType(
      String table, String column, String type) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Column %s of %s has type %s, which publish cannot write to Postgres. Cast it to a simple type in the gold table.",
            column, table, type),
        null);
  }

  public static MedallionException embeddedPostgresFailed(String reason, Throwable cause) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "Cannot start the embedded Postgres: %s. When running as root, Postgres needs 'unshare -U' (user namespaces) to drop root; run as a non-root user otherwise.",
            reason),
        cause);
  }

  public static MedallionException syncPublicationMismatch(
      String slot, String published, String wanted) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Publication %s covers %s, but this sync asks for %s. Pass the same --tables as on the first start, or use another --slot (a new slot starts with a snapshot).",
            slot, published, wanted),
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
