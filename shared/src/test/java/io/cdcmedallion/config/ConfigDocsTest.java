package io.cdcmedallion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.internal.ConfigDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The field table in {@code docs/configuration.md} matches the option declarations. To regenerate
 * it after changing a declaration, run {@link #REGENERATE}.
 */
class ConfigDocsTest {
  static final String REGENERATE =
      "mvn -B -o -q test -pl shared -am -Dtest=ConfigDocsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dconfig.docs.update=true";

  /** {@code docs/configuration.md}, found from the module folder Maven runs the tests in. */
  private static Path docsFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs/configuration.md");
      if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("docs/configuration.md not found above " + Path.of(""));
  }

  @Test
  void docsFieldTableMatchesTheDeclarations() throws IOException {
    Path file = docsFile();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String expected = ConfigDocs.withTable(text);
    if (Boolean.getBoolean("config.docs.update") && !expected.equals(text)) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      text = expected;
    }
    assertThat(text)
        .as(
            "%s: the config field table differs from the declarations in"
                + " shared/src/main/java/io/cdcmedallion/config/internal/*Options.java."
                + " Regenerate it with: %s",
            file, REGENERATE)
        .isEqualTo(expected);
  }

  @Test
  void tableListsEveryOptionWithItsDefaultAndTheAutoCdcNames() {
    String table = ConfigDocs.table();
    assertThat(table)
        .contains(
            "| `catalog` | identifier | `main` | catalog of every table |",
            "| `entities[].keys` | one or more identifiers | required | primary key column(s) |",
            "| `entities[].expectations[].action` | `warn`, `drop`, `fail` | `warn` |",
            "| `incremental.tombstone_retention` | duration: a number and `s`, `m`, `h` or `d` | `7d` |",
            "| `stored_as_scd_type` | accepted as `entities[].scd` |",
            "| `sequence_by` | not accepted; the message: \"sequence_by is an AUTO CDC option;",
            "data-quality rules on the computed gold rows; fields as under `entities[].expectations[]` |")
        .contains("| `schemas.run_log` |", "| `gold[].sql` |", "| `incremental.checkpoints` |")
        .doesNotContain("| `gold[].expectations[].name`");
    String fieldTable = table.substring(0, table.indexOf("\n\n"));
    assertThat(fieldTable.lines().filter(l -> l.startsWith("| `entities[].")).count())
        .as("16 entity fields and 3 expectation fields")
        .isEqualTo(19);
  }

  @Test
  void documentWithoutMarkersIsRejected() {
    assertThatThrownBy(() -> ConfigDocs.withTable("# Config\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the document has no '<!-- config-fields:begin -->' line followed by an '<!-- config-fields:end -->' line");
  }
}
