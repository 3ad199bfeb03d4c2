package io.cdcmedallion.postgres;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.postgres.PreflightFinding.Check;
import io.cdcmedallion.postgres.internal.PgCatalog;
import io.cdcmedallion.postgres.internal.PgCatalog.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cookbook's Lakehouse Sync readiness checks, against any Postgres (Lakebase included): replica
 * identity FULL (update pre-images and delete rows need the whole old row), supported column types,
 * a primary key (silver's key), and no partitioned tables.
 */
public final class Preflight {
  private Preflight() {}

  /**
   * Checks {@code tables} of {@code schema} (every table of the schema when empty).
   *
   * @throws io.cdcmedallion.errors.MedallionException when the catalog cannot be read
   */
  public static PreflightReport check(
      Connection connection, String schema, Optional<List<String>> tables) {
    try {
      List<TableInfo> all = PgCatalog.tables(connection, schema);
      List<String> checked = new ArrayList<>();
      List<PreflightFinding> findings = new ArrayList<>();
      List<String> wanted =
          tables.orElseGet(() -> all.stream().map(TableInfo::name).toList()).stream()
              .sorted()
              .toList();
      for (String name : wanted) {
        String qualified = schema + "." + name;
        checked.add(qualified);
        Optional<TableInfo> info = all.stream().filter(t -> t.name().equals(name)).findFirst();
        if (info.isEmpty()) {
          findings.add(
              new PreflightFinding(
                  qualified,
                  Check.NOT_FOUND,
                  "no such table",
                  "check the name, or pass --schema with the table's schema"));
          continue;
        }
        findings.addAll(check(connection, qualified, info.get()));
      }
      return new PreflightReport(checked, findings);
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed("preflight", Errors.firstLine(e), e);
    }
  }

  private static List<PreflightFinding> check(
      Connection connection, String qualified, TableInfo table) throws SQLException {
    List<PreflightFinding> findings = new ArrayList<>();
    String quoted = PgCatalog.quote(table.schema()) + "." + PgCatalog.quote(table.name());
    if (table.replicaIdentity() != 'f') {
      findings.add(
          new PreflightFinding(
              qualified,
              Check.REPLICA_IDENTITY,
              "replica identity is "
                  + replicaIdentityName(table.replicaIdentity())
                  + ", so updates and deletes do not carry the whole old row",
              "ALTER TABLE " + quoted + " REPLICA IDENTITY FULL;"));
    }
    for (PgColumn column : PgCatalog.columns(connection, table.oid())) {
      if (PgTypes.deltaType(column).isEmpty()) {
        findings.add(
            new PreflightFinding(
                qualified,
                Check.UNSUPPORTED_TYPE,
                "column " + column.name() + " has unsupported type " + column.declaredType(),
                PgTypes.advice(column)));
      }
    }
    if (!table.hasPrimaryKey()) {
      findings.add(
          new PreflightFinding(
              qualified,
              Check.NO_PRIMARY_KEY,
              "no primary key, so silver has no key to keep the current row by",
              "ALTER TABLE " + quoted + " ADD PRIMARY KEY (<key columns>);"));
    }
    if (table.kind() == 'p') {
      findings.add(
          new PreflightFinding(
              qualified,
              Check.PARTITIONED,
              "partitioned table; Lakehouse Sync replicates plain tables only",
              "sync a plain table instead (e.g. move the rows into an unpartitioned table)"));
    }
    return findings;
  }

  private static String replicaIdentityName(char code) {
    return switch (code) {
      case 'd' -> "DEFAULT (primary key only)";
      case 'n' -> "NOTHING";
      case 'i' -> "USING INDEX";
      default -> String.valueOf(code);
    };
  }
}
