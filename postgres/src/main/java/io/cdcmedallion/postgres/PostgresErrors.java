package io.cdcmedallion.postgres;

import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.errors.MedallionException.Kind;

/**
 * Creates the Postgres source's user-facing errors (connection, preflight, sync, publish, the
 * embedded Postgres). Each message is one line: what went wrong, why, and what to do.
 */
public final class PostgresErrors {
  private PostgresErrors() {}

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
}
