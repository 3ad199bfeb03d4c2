package io.cdcmedallion.postgres;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.Secrets;
import io.cdcmedallion.postgres.internal.PgPass;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * A Postgres database to read from or publish to: a JDBC URL without a password, a user, and the
 * password found in {@code PGPASSWORD} or the libpq password file. The password is never part of
 * {@link #toString()} or of any message.
 */
public final class PgSource {
  private final String jdbcUrl;
  private final String user;
  private final Optional<String> password;

  private PgSource(String jdbcUrl, String user, Optional<String> password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * Resolves the connection settings: the user from {@code user}, the URL's {@code user=}, {@code
   * PGUSER} or {@code postgres}; the password from {@code PGPASSWORD}, else from {@code PGPASSFILE}
   * or {@code home/.pgpass}. A URL that holds a password is refused.
   */
  public static PgSource resolve(
      String jdbcUrl, Optional<String> user, Map<String, String> env, Path home) {
    Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
    if (parsed == null) {
      throw PostgresErrors.postgresUrlInvalid(redact(jdbcUrl));
    }
    if (parsed.getProperty(PGProperty.PASSWORD.getName()) != null) {
      throw PostgresErrors.postgresPasswordInUrl(redact(jdbcUrl));
    }
    String name =
        user.or(() -> Optional.ofNullable(parsed.getProperty(PGProperty.USER.getName())))
            .or(() -> Optional.ofNullable(env.get("PGUSER")))
            .orElse("postgres");
    Optional<String> password = Optional.ofNullable(env.get("PGPASSWORD"));
    if (password.isEmpty()) {
      Path file =
          Optional.ofNullable(env.get("PGPASSFILE")).map(Path::of).orElse(home.resolve(".pgpass"));
      String host = parsed.getProperty(PGProperty.PG_HOST.getName(), "localhost").split(",")[0];
      String port = parsed.getProperty(PGProperty.PG_PORT.getName(), "5432").split(",")[0];
      String database = parsed.getProperty(PGProperty.PG_DBNAME.getName(), name);
      password = PgPass.lookup(file, host, Integer.parseInt(port), database, name);
    }
    return new PgSource(jdbcUrl, name, password);
  }

  /** Settings for a local server that trusts its connections (the embedded Postgres). */
  public static PgSource trusted(String jdbcUrl, String user) {
    return new PgSource(jdbcUrl, user, Optional.empty());
  }

  /** The JDBC URL as given (it never holds a password). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  /** The password found, for tests of the lookup order (never printed). */
  Optional<String> password() {
    return password;
  }

  /** A regular connection. */
  public Connection open() {
    return connect(properties());
  }

  /** A logical replication connection (the pgjdbc replication API needs these properties). */
  public Connection openReplication() {
    Properties properties = properties();
    PGProperty.REPLICATION.set(properties, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
    PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
    return connect(properties);
  }

  private Properties properties() {
    Properties properties = new Properties();
    PGProperty.USER.set(properties, user);
    password.ifPresent(p -> PGProperty.PASSWORD.set(properties, p));
    PGProperty.APPLICATION_NAME.set(properties, "cdc-medallion");
    return properties;
  }

  private Connection connect(Properties properties) {
    try {
      return DriverManager.getConnection(jdbcUrl, properties);
    } catch (SQLException e) {
      throw PostgresErrors.postgresConnectFailed(redact(jdbcUrl), user, redactMessage(e));
    }
  }

  private String redactMessage(SQLException e) {
    String message = Secrets.mask(Errors.firstLine(e));
    return password
        .filter(p -> !p.isEmpty())
        .map(p -> message.replace(p, Secrets.MASK))
        .orElse(message);
  }

  /**
   * {@code url} with every secret masked ({@link Secrets}: the user-info password, {@code
   * password=}, {@code sslpassword=}, ... in any case), safe to print.
   */
  public static String redact(String url) {
    return Secrets.mask(url);
  }

  @Override
  public String toString() {
    return redact(jdbcUrl) + " as " + user;
  }
}
