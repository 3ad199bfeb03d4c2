package io.cdcmedallion.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Preflight against purpose-built tables, one per kind of problem, on an embedded Postgres. */
class PreflightTest {
  private static LocalPostgres postgres;
  private static Connection connection;

  @BeforeAll
  static void createTables() throws SQLException {
    postgres = LocalPostgres.start();
    connection = postgres.source().open();
    try (Statement s = connection.createStatement()) {
      for (String sql :
          List.of(
              "CREATE SCHEMA pf",
              "CREATE TYPE pf.mood AS ENUM ('happy', 'sad')",
              "CREATE TABLE pf.ready (id bigint PRIMARY KEY, flag bool, small int2, n int4,"
                  + " name text, code varchar(10), letter char(1), doc jsonb, amount numeric(12,2),"
                  + " day date, at timestamp, at_tz timestamptz, ratio real, score float8,"
                  + " mood pf.mood)",
              "ALTER TABLE pf.ready REPLICA IDENTITY FULL",
              "CREATE TABLE pf.default_identity (id int PRIMARY KEY, v text)",
              "CREATE TABLE pf.odd_types (id int PRIMARY KEY, tags text[], doc json,"
                  + " amount numeric, token uuid)",
              "ALTER TABLE pf.odd_types REPLICA IDENTITY FULL",
              "CREATE TABLE pf.no_key (id int, v text)",
              "ALTER TABLE pf.no_key REPLICA IDENTITY FULL",
              "CREATE TABLE pf.parted (id int, day date, PRIMARY KEY (id, day))"
                  + " PARTITION BY RANGE (day)")) {
        s.execute(sql);
      }
    }
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    connection.close();
    postgres.close();
  }

  private static List<String> describe(PreflightReport report) {
    return report.findings().stream()
        .map(f -> f.table() + " | " + f.check().label() + " | " + f.problem() + " | " + f.fix())
        .toList();
  }

  @Test
  void findsEachKindOfProblemOnItsTable() {
    PreflightReport report = Preflight.check(connection, "pf", Optional.empty());

    assertThat(report.tables())
        .containsExactly(
            "pf.default_identity", "pf.no_key", "pf.odd_types", "pf.parted", "pf.ready");
    assertThat(describe(report))
        .containsExactly(
            "pf.default_identity | replica identity | replica identity is DEFAULT (primary key"
                + " only), so updates and deletes do not carry the whole old row | ALTER TABLE"
                + " \"pf\".\"default_identity\" REPLICA IDENTITY FULL;",
            "pf.no_key | primary key | no primary key, so silver has no key to keep the current row"
                + " by | ALTER TABLE \"pf\".\"no_key\" ADD PRIMARY KEY (<key columns>);",
            "pf.odd_types | column type | column tags has unsupported type text[] | store the"
                + " elements in a child table (one row per element) or as a jsonb array",
            "pf.odd_types | column type | column doc has unsupported type json | use jsonb",
            "pf.odd_types | column type | column amount has unsupported type numeric | declare a"
                + " precision and scale of at most 38 digits, e.g. numeric(18,2)",
            "pf.odd_types | column type | column token has unsupported type uuid | store it as text",
            "pf.parted | replica identity | replica identity is DEFAULT (primary key only), so"
                + " updates and deletes do not carry the whole old row | ALTER TABLE"
                + " \"pf\".\"parted\" REPLICA IDENTITY FULL;",
            "pf.parted | partitioning | partitioned table; Lakehouse Sync replicates plain tables"
                + " only | sync a plain table instead (e.g. move the rows into an unpartitioned"
                + " table)");
    assertThat(report.readyTables()).containsExactly("pf.ready");
    assertThat(report.ready()).isFalse();
  }

  @Test
  void aTableWithEverySupportedTypeIsReady() {
    PreflightReport report = Preflight.check(connection, "pf", Optional.of(List.of("ready")));

    assertThat(report.findings()).isEmpty();
    assertThat(report.ready()).isTrue();
  }

  @Test
  void aMissingTableIsAFinding() {
    PreflightReport report =
        Preflight.check(connection, "pf", Optional.of(List.of("ready", "missing")));

    assertThat(describe(report))
        .containsExactly(
            "pf.missing | table | no such table | check the name, or pass --schema with the"
                + " table's schema");
    assertThat(report.ready()).isFalse();
  }
}
