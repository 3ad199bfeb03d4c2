package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.postgres.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** preflight and sync through the CLI, against an embedded Postgres. */
class PostgresCliTest {
  private static LocalPostgres postgres;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = LocalPostgres.start();
    try (Connection connection = postgres.source().open();
        Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE ready_t (id int PRIMARY KEY, v text)");
      s.execute("ALTER TABLE ready_t REPLICA IDENTITY FULL");
      s.execute("INSERT INTO ready_t VALUES (1, 'a'), (2, 'b')");
      s.execute("CREATE TABLE plain_t (id int PRIMARY KEY, v uuid)");
    }
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @Test
  void preflightPrintsFindingsWithFixesAndExitsOneWhenATableIsNotReady() {
    CliRun run = CliRun.of("preflight", "--jdbc-url", postgres.jdbcUrl(), "--user", "postgres");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    String identity =
        "replica identity is DEFAULT (primary key only), so updates and deletes do not carry the"
            + " whole old row";
    String row = "%-14s  %-16s  %-" + identity.length() + "s  %s";
    assertThat(run.out().lines().map(String::stripTrailing).toList())
        .containsExactly(
            "[preflight] "
                + postgres.jdbcUrl()
                + " as postgres, schema public: 2 tables checked, 1 ready",
            String.format(row, "table", "check", "problem", "fix"),
            String.format(
                row,
                "public.plain_t",
                "replica identity",
                identity,
                "ALTER TABLE \"public\".\"plain_t\" REPLICA IDENTITY FULL;"),
            String.format(
                row,
                "public.plain_t",
                "column type",
                "column v has unsupported type uuid",
                "store it as text"),
            "ready: public.ready_t");
  }

  @Test
  void preflightOfReadyTablesExitsZero() {
    CliRun run = CliRun.of("preflight", "--jdbc-url", postgres.jdbcUrl(), "--tables", "ready_t");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).endsWith("1 table checked, 1 ready\nready: public.ready_t\n");
  }

  @Test
  void aPasswordInTheUrlIsABadArgumentAndIsNotPrinted() {
    CliRun run = CliRun.of("preflight", "--jdbc-url", postgres.jdbcUrl() + "?password=hunter2");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: The JDBC URL "
                + postgres.jdbcUrl()
                + "?password=*** holds a password. Remove password= from the URL and set"
                + " PGPASSWORD or add the password to ~/.pgpass instead.\n");
  }

  @Test
  void demoRejectsAnUnknownSourceBeforeStartingSpark() {
    CliRun run = CliRun.of("demo", "--source", "mysql");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: Invalid --source 'mysql'. Use generated or postgres.\n");
  }

  @Test
  void syncOnceWritesTheSnapshotToTheHistoryTable() {
    String lakehouse = dir.resolve("lakehouse").toString();
    CliRun sync =
        CliRun.of(
            "sync",
            "--lakehouse",
            lakehouse,
            "--jdbc-url",
            postgres.jdbcUrl(),
            "--tables",
            "ready_t",
            "--shape",
            "lakebase",
            "--once");
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(sync.out())
        .containsPattern("\\[sync\\] +ready_t +snapshot started -> main.bronze.lb_ready_t_history")
        .containsPattern(
            "\\[sync\\] +ready_t +2 snapshot rows at LSN [0-9A-F]+/[0-9A-F]+ ->"
                + " main.bronze.lb_ready_t_history");

    CliRun query =
        CliRun.of(
            "query",
            "--lakehouse",
            lakehouse,
            "--format",
            "csv",
            "SELECT id, v, _pg_change_type FROM main.bronze.lb_ready_t_history ORDER BY id");
    assertThat(query.out().lines().toList())
        .containsExactly("id,v,_pg_change_type", "1,a,insert", "2,b,insert");
  }
}
