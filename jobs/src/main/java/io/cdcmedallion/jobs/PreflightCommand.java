package io.cdcmedallion.jobs;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.postgres.PgSource;
import io.cdcmedallion.postgres.PostgresErrors;
import io.cdcmedallion.postgres.Preflight;
import io.cdcmedallion.postgres.PreflightFinding;
import io.cdcmedallion.postgres.PreflightReport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code preflight}: are these Postgres tables ready for Lakehouse Sync? Spark is not started. */
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Check Postgres tables for Lakehouse Sync and print the fixes.",
      "Checks replica identity FULL, supported column types, a primary key and no",
      "partitioning in Postgres (Lakebase); exits 1 when a table is not ready."
    })
final class PreflightCommand implements Callable<Integer> {
  @Mixin PostgresOptions postgres = new PostgresOptions();

  @Option(
      names = "--tables",
      split = ",",
      paramLabel = "T",
      description = "Only these tables (default: every table of the schema).")
  List<String> tables;

  @Option(names = "--verbose", description = "On failure, print the full stack trace.")
  boolean verbose;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    PgSource source = postgres.source();
    PreflightReport report;
    try (Connection connection = source.open()) {
      report = Preflight.check(connection, postgres.schema, Optional.ofNullable(tables));
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed("preflight", Errors.firstLine(e), e);
    }
    console.step(
        "preflight",
        "%s, schema %s: %d table%s checked, %d ready",
        source,
        postgres.schema,
        report.tables().size(),
        report.tables().size() == 1 ? "" : "s",
        report.readyTables().size());
    if (!report.findings().isEmpty()) {
      printFindings(report.findings(), console.out());
    }
    for (String ready : report.readyTables()) {
      console.out().println("ready: " + ready);
    }
    return report.ready() ? 0 : 1;
  }

  private static void printFindings(List<PreflightFinding> findings, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"table", "check", "problem", "fix"});
    for (PreflightFinding f : findings) {
      rows.add(new String[] {f.table(), f.check().label(), f.problem(), f.fix()});
    }
    TextTable.print(rows, out);
  }
}
