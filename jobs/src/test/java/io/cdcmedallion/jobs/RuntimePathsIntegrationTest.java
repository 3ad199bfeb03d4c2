package io.cdcmedallion.jobs;

import static io.cdcmedallion.testing.SparkTestBase.assertDatasetEquals;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.deploy.SparkSubmit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import scala.Option;

/**
 * The ways the jobs run outside the local CLI, each in its own JVM, on one sample shop (seed 42,
 * scale 1, as {@code demo} writes it):
 *
 * <ul>
 *   <li><b>Spark Connect</b>: an in-process Spark Connect server (Delta and the local catalog
 *       {@code main}) and a client JVM whose classpath is only the open-source Spark Connect client
 *       (connect-client/target/classpath.txt), this project's classes and their small dependencies
 *       — no spark-sql. It runs the CLI's {@code generate} and {@code run} with {@code --remote}.
 *   <li><b>spark-submit</b>: the thin jar through {@link SparkSubmit} with {@code --master
 *       local[2]}, Spark's jars on the classpath, Delta with {@code --jars} and {@code --conf}s as
 *       a user gives them; it runs {@code demo} into the session catalog.
 * </ul>
 *
 * The tables written through Connect must equal the classic spark-submit run's, and the notebooks'
 * SQL cells run against the Connect-built lakehouse.
 */
class RuntimePathsIntegrationTest {
  private static final Pattern COUNT_LINE =
      Pattern.compile("^  spark_catalog\\.(\\w+)\\.(\\w+)\\s+([\\d,]+)$", Pattern.MULTILINE);
  private static final Pattern SILVER_LINE =
      Pattern.compile(
          "^\\[silver\\]\\s+(\\w+)\\s+([\\d,]+ history rows ->\\s+[\\d,]+ current rows.*?\\))",
          Pattern.MULTILINE);

  @TempDir static Path dir;
  private static SparkSession server;
  private static String url;
  private static ChildRun generate;
  private static ChildRun run;
  private static ChildRun submit;

  private record ChildRun(int exitCode, String output) {}

  @BeforeAll
  static void runTheJobsThroughConnectAndSparkSubmit() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // SparkConf reads spark.* system properties when the server's context starts.
    System.setProperty("spark.connect.grpc.binding.port", Integer.toString(port));
    try {
      server = Sessions.local(new LocalLakehouse(dir.resolve("lakehouse"), "main", "local[2]", 2));
    } finally {
      System.clearProperty("spark.connect.grpc.binding.port");
    }
    SparkConnectService.start(server.sparkContext());
    url = "sc://localhost:" + port;

    Child submitting = start(sparkSubmitCommand(), "spark-submit");
    generate =
        finish(start(clientCommand("generate", "--remote", url, "--seed", "42"), "generate"));
    run = finish(start(clientCommand("run", "--remote", url), "run"));
    submit = finish(submitting);
  }

  @AfterAll
  static void stopServer() {
    SparkConnectService.stop(Option.empty(), Option.empty());
    if (server != null) {
      server.stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @Test
  void theCliRunsThroughSparkConnectWithoutSparkSql() {
    assertThat(generate.exitCode()).as(generate.output()).isZero();
    assertThat(generate.output()).contains("[spark]   Spark Connect session on " + url);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("[silver]").contains("[gold]");
  }

  @Test
  void theThinJarRunsUnderSparkSubmitAndWritesTheTablesItReports() {
    assertThat(submit.exitCode()).as(submit.output()).isZero();
    assertThat(submit.output()).contains("[spark]   spark-submit session on local[2]");
    Map<String, Long> printed = printedCounts();
    assertThat(printed).as(submit.output()).hasSize(12);
    printed.forEach(
        (table, count) ->
            assertThat(submitted(table).count()).as("rows of %s", table).isEqualTo(count));
  }

  /**
   * The row and tie counts a full refresh reports come from metrics observed on a write; through
   * Spark Connect they must be the same as in-process, not missing.
   */
  @Test
  void silverCountsReportedThroughSparkConnectEqualTheSparkSubmitRun() {
    Map<String, String> throughConnect = silverCounts(run.output());
    assertThat(throughConnect).as(run.output()).hasSize(4);
    assertThat(throughConnect).isEqualTo(silverCounts(submit.output()));
  }

  /** Entity to "N history rows -> M current rows (shape...)" from a run's [silver] lines. */
  private static Map<String, String> silverCounts(String output) {
    Map<String, String> counts = new TreeMap<>();
    Matcher line = SILVER_LINE.matcher(output);
    while (line.find()) {
      counts.put(line.group(1), line.group(2).replaceAll("\\s+", " "));
    }
    return counts;
  }

  @Test
  void tablesWrittenThroughSparkConnectEqualTheSparkSubmitRun() {
    PipelineConfig config = PipelineConfigs.load(Optional.empty());
    List<TableName> tables = new ArrayList<>();
    for (EntityConfig entity : config.entities()) {
      tables.add(config.historyTable(entity));
      tables.add(config.silverTable(entity));
    }
    for (GoldTableConfig gold : config.gold()) {
      tables.add(config.goldTableName(gold.name()));
    }
    assertThat(tables).hasSize(12);
    for (TableName table : tables) {
      Dataset<Row> throughConnect = server.table(table.quoted());
      assertThat(throughConnect.isEmpty()).as("%s is empty", table).isFalse();
      assertDatasetEquals(submitted(table.schema() + "." + table.table()), throughConnect);
    }
  }

  @Test
  void everySqlCellOfEveryNotebookRunsOnTheLakehouse() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(ProjectFiles.root().resolve("notebooks"))) {
      notebooks = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(notebooks)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("data_quality.sql", "explore_bronze_history.sql", "silver_and_gold.sql");
    int cells = 0;
    for (Path notebook : notebooks) {
      cells += NotebookCells.runAll(server, notebook);
    }
    assertThat(cells).isEqualTo(14);
  }

  /** "schema.table" -> rows, from the demo's "Row counts:" lines. */
  private static Map<String, Long> printedCounts() {
    Map<String, Long> printed = new LinkedHashMap<>();
    Matcher line = COUNT_LINE.matcher(submit.output());
    while (line.find()) {
      printed.put(
          line.group(1) + "." + line.group(2), Long.parseLong(line.group(3).replace(",", "")));
    }
    return printed;
  }

  /** A table spark-submit wrote, read from its warehouse directory. */
  private static Dataset<Row> submitted(String schemaDotTable) {
    String[] parts = schemaDotTable.split("\\.");
    Path table = dir.resolve("submit-warehouse").resolve(parts[0] + ".db").resolve(parts[1]);
    return server.read().format("delta").load(table.toString());
  }

  private static List<String> javaWithOpens() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The module opens this JVM got (pom property spark.jvm.opens); Spark and Arrow need them.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore"))
        .forEach(command::add);
    return command;
  }

  private static List<String> clientCommand(String... args) throws Exception {
    List<String> command = javaWithOpens();
    command.addAll(List.of("-cp", clientClasspath(), MedallionCli.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> sparkSubmitCommand() throws Exception {
    List<String> command = javaWithOpens();
    command.addAll(List.of("-cp", sparkClasspath(), SparkSubmit.class.getName()));
    command.addAll(
        List.of(
            "--master",
            "local[2]",
            "--class",
            MedallionCli.class.getName(),
            "--jars",
            codeSource(io.delta.sql.DeltaSparkSessionExtension.class)
                + ","
                + codeSource(io.delta.storage.LogStore.class),
            "--conf",
            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
            "--conf",
            "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "--conf",
            "spark.sql.warehouse.dir=" + dir.resolve("submit-warehouse").toUri(),
            "--conf",
            "spark.sql.shuffle.partitions=2",
            "--conf",
            "spark.ui.enabled=false",
            ProjectFiles.thinJar().toString(),
            "demo",
            "--catalog",
            "spark_catalog"));
    return command;
  }

  private record Child(Process process, Path log) {}

  private static Child start(List<String> command, String name) throws IOException {
    Path log = dir.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new Child(process, log);
  }

  private static ChildRun finish(Child child) throws Exception {
    if (!child.process().waitFor(10, TimeUnit.MINUTES)) {
      child.process().destroyForcibly();
      // The log is in the test's temporary directory, gone after the run: keep its end here.
      List<String> lines = Files.readAllLines(child.log(), StandardCharsets.UTF_8);
      throw new IllegalStateException(
          "A child JVM did not finish in 10 minutes; the end of its output:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }
    return new ChildRun(
        child.process().exitValue(), Files.readString(child.log(), StandardCharsets.UTF_8));
  }

  /**
   * connect-client/target/classpath.txt (the Spark Connect client's own dependency tree, resolved
   * by Maven) plus this project's classes (shared, postgres, sample, jobs), SnakeYAML and picocli.
   */
  private static String clientClasspath() throws IOException, URISyntaxException {
    Path file = ProjectFiles.root().resolve("connect-client/target/classpath.txt");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file + " is missing: run the tests through Maven from the project root (mvn test).");
    }
    List<String> entries = new ArrayList<>();
    for (Class<?> anchor :
        List.of(
            MedallionCli.class,
            MedallionPipeline.class,
            io.cdcmedallion.postgres.PgSource.class,
            io.cdcmedallion.sample.ShopHistoryGenerator.class,
            Yaml.class,
            CommandLine.class)) {
      entries.add(codeSource(anchor));
    }
    entries.addAll(List.of(Files.readString(file).strip().split(File.pathSeparator)));
    return String.join(File.pathSeparator, entries.stream().distinct().toList());
  }

  /**
   * Spark's jars, as a Spark distribution has them: the test classpath less Delta and this project.
   */
  private static String sparkClasspath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return String.join(
        File.pathSeparator,
        Stream.of(classpath.split(File.pathSeparator))
            .filter(entry -> !entry.contains("delta-spark") && !entry.contains("delta-storage"))
            .filter(entry -> !entry.contains("cdc-medallion") && !entry.contains("/target/"))
            .filter(entry -> !entry.contains("snakeyaml") && !entry.contains("picocli"))
            .toList());
  }

  private static String codeSource(Class<?> anchor) throws URISyntaxException {
    return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
