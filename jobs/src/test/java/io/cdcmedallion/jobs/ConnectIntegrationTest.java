package io.cdcmedallion.jobs;

import static io.cdcmedallion.testing.SparkTestBase.assertDatasetEquals;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.sample.GeneratorSettings;
import io.cdcmedallion.sample.ShopHistoryGenerator;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The Connect path, proven locally: an in-process Spark Connect server (with Delta and the local
 * catalog) and a client JVM whose classpath is only the open-source Spark Connect client, this
 * project's classes and their small dependencies (no spark-sql). The client runs the same CLI
 * commands ({@code generate}, then {@code run}, with {@code --remote}); the tables it writes must
 * equal those of the same commands run on classic Spark.
 */
class ConnectIntegrationTest {
  private static final long SEED = 7;

  @TempDir static Path dir;
  private static SparkSession server;
  private static String url;

  @BeforeAll
  static void startServer() throws IOException {
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
  void generateSilverAndGoldThroughSparkConnectWriteTheSameTablesAsClassicSpark() throws Exception {
    ClientRun generate = client("generate", "--remote", url, "--seed", Long.toString(SEED));
    assertThat(generate.exitCode()).as(generate.output()).isZero();
    assertThat(generate.output()).contains("Spark Connect session on " + url);
    ClientRun run = client("run", "--remote", url);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("[silver]").contains("[gold]");

    // The same commands on classic Spark, into other schemas of the server's own lakehouse.
    PipelineConfig connect = PipelineConfigs.load(Optional.empty());
    PipelineConfig classic =
        connect.withSchemas("classic_bronze", "classic_silver", "classic_gold");
    new ShopHistoryGenerator(server, classic)
        .generate(new GeneratorSettings(1, SEED, MetadataShape.COOKBOOK));
    MedallionPipeline pipeline = new MedallionPipeline(server, classic, new Console(System.out));
    pipeline.silver(Optional.empty());
    pipeline.gold(Optional.empty());

    List<TableName[]> pairs = new ArrayList<>();
    for (EntityConfig entity : connect.entities()) {
      pairs.add(new TableName[] {classic.historyTable(entity), connect.historyTable(entity)});
      pairs.add(new TableName[] {classic.silverTable(entity), connect.silverTable(entity)});
    }
    for (GoldTableConfig gold : connect.gold()) {
      pairs.add(
          new TableName[] {classic.goldTableName(gold.name()), connect.goldTableName(gold.name())});
    }
    assertThat(pairs).hasSize(connect.entities().size() * 2 + connect.gold().size());
    for (TableName[] pair : pairs) {
      assertThat(server.table(pair[1].quoted()).isEmpty()).as("%s is empty", pair[1]).isFalse();
      assertDatasetEquals(server.table(pair[0].quoted()), server.table(pair[1].quoted()));
    }
  }

  private record ClientRun(int exitCode, String output) {}

  /** One {@code medallion} command in a JVM that has the Spark Connect client and not spark-sql. */
  private static ClientRun client(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The module opens the test JVM got (pom property spark.jvm.opens); Arrow needs them too.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore"))
        .forEach(command::add);
    command.add("-cp");
    command.add(clientClasspath());
    command.add(MedallionCli.class.getName());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "client-", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("The Connect client did not finish; its output: " + log);
    }
    return new ClientRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /**
   * connect-client/target/classpath.txt (the Spark Connect client's own dependency tree, resolved
   * by Maven) plus this project's classes, SnakeYAML and picocli.
   */
  private static String clientClasspath() throws IOException, URISyntaxException {
    Path file = ProjectFiles.root().resolve("connect-client/target/classpath.txt");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file + " is missing: run the tests through Maven from the project root (mvn test).");
    }
    List<String> entries = new ArrayList<>();
    for (Class<?> anchor :
        List.of(MedallionCli.class, MedallionPipeline.class, Yaml.class, CommandLine.class)) {
      entries.add(
          Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    Stream.of(Files.readString(file).strip().split(File.pathSeparator)).forEach(entries::add);
    return String.join(File.pathSeparator, entries.stream().distinct().toList());
  }
}
