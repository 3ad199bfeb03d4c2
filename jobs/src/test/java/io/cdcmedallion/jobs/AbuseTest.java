package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Secrets;
import io.cdcmedallion.gold.BuiltinGoldTables;
import io.cdcmedallion.quality.CheckedRows;
import io.cdcmedallion.quality.Quarantine;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import io.cdcmedallion.silver.CurrentState;
import io.cdcmedallion.silver.SilverExpectations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault-and-abuse suite, command-line half (the library half is {@code FaultInjectionTest} in
 * shared): what a hostile or careless user can do from the shell, and what must never happen — a
 * secret printed, a copied lakehouse writing into its original, a config mistake reported as a
 * failed run. Docs: docs/guarantees.md.
 */
@Tag("fault-and-abuse")
class AbuseTest {
  @TempDir Path dir;

  @AfterEach
  void clearSessions() {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  // ------------------------------------------------------------------ secrets

  /** Every secret-bearing form of a pgjdbc URL; the secret is always the text "s3cret". */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://bob:s3cret@localhost:1/x",
        "jdbc:postgresql://:s3cret@localhost:1/x",
        "jdbc:postgresql://bob:s3cret@localhost:1,localhost:2/x",
        "jdbc:postgresql://localhost:1/x?password=s3cret",
        "jdbc:postgresql://localhost:1/x?user=bob&Password=s3cret",
        "jdbc:postgresql://localhost:1/x?PASSWORD=s3cret&user=bob",
        "jdbc:postgresql://localhost:1/x?sslpassword=s3cret",
        "jdbc:postgresql://localhost:1/x?sslmode=require&sslkey=/k.pk8&SSLPASSWORD=s3cret",
        "jdbc:postgresql://localhost:1/x?sslfactoryarg=s3cret",
      })
  void aSecretInAJdbcUrlNeverAppearsInAnyOutputEvenVerbose(String url) {
    // preflight connects at once: the URL goes through pgjdbc and its error messages.
    CliRun run = CliRun.of("preflight", "--jdbc-url", url, "--verbose");

    assertThat(run.exitCode()).as(run.err()).isNotZero();
    assertThat(run.err()).contains("error: ").contains("localhost");
    assertThat(run.out() + run.err()).doesNotContain("s3cret");
  }

  @Test
  void logLinesMaskSecretsInMessagesAndTracesWithTheSameExpression() throws Exception {
    String pattern =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(getClass().getResourceAsStream("/log4j2.xml"))
            .getElementsByTagName("PatternLayout")
            .item(0)
            .getAttributes()
            .getNamedItem("pattern")
            .getNodeValue();
    assertThat(pattern).contains("%replace{%msg%xEx}{" + Secrets.REGEX + "}{***}");
    Layout<String> layout =
        PatternLayout.newBuilder().withPattern(pattern).withAlwaysWriteExceptions(false).build();

    String line =
        layout.toSerializable(
            Log4jLogEvent.newBuilder()
                .setLevel(Level.ERROR)
                .setLoggerName("org.apache.spark.Test")
                .setMessage(
                    new SimpleMessage("connecting to jdbc:postgresql://bob:s3cret@db:5432/shop"))
                .setThrown(
                    new IllegalStateException(
                        "failed: jdbc:postgresql://db/shop?sslpassword=s3cret&user=bob",
                        new RuntimeException("{user=bob, password=s3cret}")))
                .build());

    assertThat(line)
        .contains("jdbc:postgresql://bob:***@db:5432/shop")
        .contains("sslpassword=***&user=bob")
        .contains("IllegalStateException")
        .doesNotContain("s3cret");
  }

  // ------------------------------------------------------------------ copied and moved lakehouses

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(".medallion.lock")) {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static long deltaCommits(Path lakehouse, String table) throws IOException {
    Path log = lakehouse.resolve("warehouse/silver.db/" + table + "/_delta_log");
    try (Stream<Path> files = Files.list(log)) {
      return files.filter(p -> p.toString().endsWith(".json")).count();
    }
  }

  @Test
  void aCopiedOrMovedLakehouseIsIndependentAndNeverWritesIntoTheOriginal() throws Exception {
    Path original = dir.resolve("lh");
    CliRun generate =
        CliRun.of("generate", "--lakehouse", original.toString(), "--scale", "1", "--seed", "3");
    assertThat(generate.exitCode()).as(generate.err()).isZero();
    CliRun first = CliRun.of("silver", "--lakehouse", original.toString(), "--entity", "orders");
    assertThat(first.exitCode()).as(first.err()).isZero();
    long originalCommits = deltaCommits(original, "silver_orders");

    Path copy = dir.resolve("lh-copy");
    copyTree(original, copy);
    CliRun onCopy = CliRun.of("silver", "--lakehouse", copy.toString(), "--entity", "orders");

    assertThat(onCopy.exitCode()).as(onCopy.err()).isZero();
    assertThat(deltaCommits(original, "silver_orders"))
        .as("the original's table is untouched")
        .isEqualTo(originalCommits);
    assertThat(deltaCommits(copy, "silver_orders"))
        .as("the copy's own table got the commit")
        .isEqualTo(originalCommits + 1);

    // A move: the directory it was opened from is gone. (Copied, not renamed: this JVM keeps the
    // OS lock on the copy's lock file until it exits, as a finished ./medallion process would not.)
    Path moved = dir.resolve("lh-moved");
    copyTree(copy, moved);
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    CliRun rebuilt = CliRun.of("silver", "--lakehouse", moved.toString(), "--entity", "orders");
    assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
    assertThat(deltaCommits(moved, "silver_orders")).isEqualTo(originalCommits + 2);
    assertThat(deltaCommits(original, "silver_orders")).isEqualTo(originalCommits);
    assertThat(Files.exists(copy)).isFalse();
  }

  // ------------------------------------------------------------------ concurrent runs

  /**
   * Every bronze row of {@code entity} is in silver (its key's latest kept event) or in the
   * quarantine, and no run quarantined a row twice.
   */
  private static void assertEveryBronzeRowInSilverOrQuarantineOnce(Path lakehouse, String entity) {
    SparkSession spark = Sessions.local(new LocalLakehouse(lakehouse, "main", "local[2]", 2));
    PipelineConfig config = new ConfigLoader(BuiltinGoldTables.names()).loadSample();
    EntityConfig e = config.entity(entity).orElseThrow();
    BronzeHistory history = BronzeHistory.read(spark, config, e);
    CheckedRows checked = SilverExpectations.of(config, e, history).apply(history.rows());
    String[] columns = history.rows().columns();
    Dataset<Row> quarantine = spark.table(config.quarantineTable(e).quoted());
    assertThat(
            checked
                .quarantined()
                .selectExpr(columns)
                .exceptAll(quarantine.selectExpr(columns))
                .collectAsList())
        .as("set-aside rows missing from the quarantine")
        .isEmpty();
    assertThat(
            quarantine
                .groupBy(Quarantine.RUN_ID_COLUMN)
                .count()
                .join(
                    quarantine.dropDuplicates().groupBy(Quarantine.RUN_ID_COLUMN).count(),
                    Quarantine.RUN_ID_COLUMN)
                .collectAsList())
        .as("no run quarantined a row twice")
        .allSatisfy(r -> assertThat(r.getLong(1)).isEqualTo(r.getLong(2)));
    Dataset<Row> expected =
        CurrentState.currentRows(
            history.layout(), CurrentState.latestEvents(history, checked.kept()));
    Dataset<Row> silver = spark.table(config.silverTable(e).quoted());
    assertThat(silver.count()).isEqualTo(expected.count()).isPositive();
    assertThat(silver.exceptAll(expected.selectExpr(silver.columns())).isEmpty())
        .as("silver is what a full refresh computes")
        .isTrue();
  }

  @Test
  void aSecondProcessOnALakehouseInUseIsRefusedAndTheFirstLosesNoRow() throws Exception {
    Path lakehouse = dir.resolve("lh");
    CliRun generate =
        CliRun.of("generate", "--lakehouse", lakehouse.toString(), "--scale", "1", "--seed", "3");
    assertThat(generate.exitCode()).as(generate.err()).isZero();

    // Two runs at once: one in this JVM (as a running ./medallion), one in another process.
    CliRun[] first = new CliRun[1];
    Thread running =
        new Thread(
            () ->
                first[0] =
                    CliRun.of("silver", "--lakehouse", lakehouse.toString(), "--entity", "orders"));
    running.start();
    Path out = dir.resolve("second.out");
    Path err = dir.resolve("second.err");
    Process second =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                MedallionCli.class.getName(),
                "silver",
                "--lakehouse",
                lakehouse.toString(),
                "--entity",
                "orders")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(second.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    running.join();

    assertThat(second.exitValue()).isEqualTo(1);
    assertThat(Files.readString(err).strip())
        .isEqualTo(
            "error: Lakehouse "
                + lakehouse.toAbsolutePath().normalize()
                + " is in use by another cdc-medallion process (its metastore and Delta logs are"
                + " safe for one process at a time). Wait for that process to finish, or pass"
                + " another --lakehouse.");
    assertThat(first[0].exitCode()).as(first[0].err()).isZero();
    assertEveryBronzeRowInSilverOrQuarantineOnce(lakehouse, "orders");
  }

  // ------------------------------------------------------------------ config mistakes: exit 2

  private Path config(String yaml) throws IOException {
    Path file = dir.resolve("pipeline.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void validateRefusesAGoldSqlFileWithASyntaxErrorAtTheFilesOwnLineAndColumn() throws Exception {
    Files.createDirectories(dir.resolve("gold"));
    Files.writeString(
        dir.resolve("gold/bad.sql"),
        "-- orders per status\nSELECT status, count(*) AS n\nFORM silver_orders GROUP BY status\n");
    Path config =
        config(
            "entities:\n  - {name: orders, keys: [order_id]}\n"
                + "gold:\n  - {name: gold_bad, sql: gold/bad.sql}\n");

    CliRun validate = CliRun.of("validate", "--config", config.toString());

    assertThat(validate.exitCode()).as(validate.out()).isEqualTo(2);
    assertThat(validate.err().strip().lines()).hasSize(1);
    assertThat(validate.err())
        .startsWith(
            "error: "
                + config
                + ":4: gold[0].sql file 'gold/bad.sql' is not valid SQL at line 3, column 1:"
                + " mismatched input 'FORM';")
        .doesNotContain("expecting {");
  }

  @Test
  void anInvalidExpectationExpressionGetsAShortOneLineMessage() throws Exception {
    Path config =
        config(
            "entities:\n  - name: orders\n    keys: [order_id]\n    expectations:\n"
                + "      - {name: positive, expr: 'amount >', action: drop}\n");

    CliRun validate = CliRun.of("validate", "--config", config.toString());

    assertThat(validate.exitCode()).isEqualTo(2);
    assertThat(validate.err().strip().lines()).hasSize(1);
    assertThat(validate.err().strip())
        .startsWith(
            "error: "
                + config
                + ":5: entities[0].expectations[0].expr is not a valid SQL expression (")
        .hasSizeLessThan(400);
  }
}
