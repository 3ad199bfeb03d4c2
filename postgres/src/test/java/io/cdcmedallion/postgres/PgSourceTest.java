package io.cdcmedallion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.postgres.internal.PgPass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the password comes from, and that it never shows. */
class PgSourceTest {
  @TempDir Path home;

  private Path pgpass(String content, String permissions) throws IOException {
    Path file = home.resolve(".pgpass");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void pgpassFirstMatchingLineWinsWithWildcardsAndEscapes() throws IOException {
    Path file =
        pgpass(
            "# comment\n"
                + "otherhost:5432:*:app:nope\n"
                + "db.example:5432:shop:app:s3cr\\:et\\\\x\n"
                + "*:*:*:*:fallback\n",
            "rw-------");

    assertThat(PgPass.lookup(file, "db.example", 5432, "shop", "app")).contains("s3cr:et\\x");
    assertThat(PgPass.lookup(file, "db.example", 5433, "shop", "app")).contains("fallback");
  }

  @Test
  void pgpassReadableByOthersIsIgnoredAsByLibpq() throws IOException {
    Path file = pgpass("*:*:*:*:secret\n", "rw-r--r--");

    assertThat(PgPass.lookup(file, "h", 5432, "d", "u")).isEmpty();
  }

  @Test
  void passwordComesFromPgpasswordBeforePgpass() throws IOException {
    pgpass("*:*:*:*:from-file\n", "rw-------");
    String url = "jdbc:postgresql://db.example:5432/shop";

    PgSource fromEnv =
        PgSource.resolve(url, Optional.of("app"), Map.of("PGPASSWORD", "from-env"), home);
    PgSource fromFile = PgSource.resolve(url, Optional.of("app"), Map.of(), home);

    assertThat(fromEnv.toString()).isEqualTo("jdbc:postgresql://db.example:5432/shop as app");
    assertThat(fromEnv.password()).contains("from-env");
    assertThat(fromFile.password()).contains("from-file");
    assertThat(
            PgSource.resolve(url, Optional.of("app"), Map.of("PGPASSFILE", "/nowhere"), home)
                .password())
        .isEmpty();
  }

  @Test
  void aPasswordInTheUrlIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                PgSource.resolve(
                    "jdbc:postgresql://db.example/shop?user=app&password=hunter2",
                    Optional.empty(),
                    Map.of(),
                    home))
        .hasMessage(
            "The JDBC URL jdbc:postgresql://db.example/shop?user=app&password=*** holds a"
                + " password. Remove password= from the URL and set PGPASSWORD or add the password"
                + " to ~/.pgpass instead.");
  }

  @Test
  void aFailedConnectionNamesUrlAndUserButNotThePassword() {
    PgSource source =
        PgSource.resolve(
            "jdbc:postgresql://127.0.0.1:1/shop?connectTimeout=2",
            Optional.of("app"),
            Map.of("PGPASSWORD", "hunter2"),
            home);

    assertThatThrownBy(source::open)
        .hasMessageStartingWith(
            "Cannot connect to jdbc:postgresql://127.0.0.1:1/shop?connectTimeout=2 as app: ")
        .hasMessageEndingWith(". Check the URL, --user, and PGPASSWORD or ~/.pgpass.")
        .hasMessageNotContaining("hunter2");
  }
}
