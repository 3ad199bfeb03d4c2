package io.cdcmedallion.jobs;

import io.cdcmedallion.postgres.PgSource;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Connection options of the Postgres commands. There is deliberately no password option: the
 * password comes from {@code PGPASSWORD} or {@code ~/.pgpass} ({@code PGPASSFILE}).
 */
final class PostgresOptions {
  @Option(
      names = "--jdbc-url",
      required = true,
      paramLabel = "URL",
      description =
          "Postgres JDBC URL without a password, e.g. jdbc:postgresql://localhost:5432/shop. The password comes from PGPASSWORD or ~/.pgpass.")
  String jdbcUrl;

  @Option(
      names = "--user",
      paramLabel = "U",
      description = "Postgres user (default: the URL's user=, PGUSER, or postgres).")
  String user;

  @Option(
      names = "--schema",
      paramLabel = "S",
      defaultValue = "public",
      description = "Postgres schema (default: ${DEFAULT-VALUE}).")
  String schema;

  PgSource source() {
    return PgSource.resolve(
        jdbcUrl,
        Optional.ofNullable(user),
        System.getenv(),
        Path.of(System.getProperty("user.home")));
  }
}
