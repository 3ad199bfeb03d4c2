package io.cdcmedallion.jobs;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.session.ConnectSettings;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.SessionKind;
import io.cdcmedallion.session.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/** The config and session a command works with; closing it stops a session it started. */
final class JobContext implements AutoCloseable {
  /**
   * The system property by which the launcher ({@code medallion}) names a file for the CLI to
   * create once a local Spark session is up: the launcher keeps the class-sharing archive a JVM
   * writes at exit only from a run that loaded Spark, not from {@code --help} or {@code validate}.
   */
  static final String SPARK_STARTED_MARKER = "cdcm.cds.sparkStarted";

  final PipelineConfig config;
  final SparkSession spark;
  final Console console;
  private final SessionKind kind;

  private JobContext(PipelineConfig config, SparkSession spark, Console console, SessionKind kind) {
    this.config = config;
    this.spark = spark;
    this.console = console;
    this.kind = kind;
  }

  /** Loads the config first, so a config mistake is reported before Spark starts. */
  static JobContext open(CommonOptions options, Console console) {
    return open(options, console, config -> {});
  }

  /** As {@link #open(CommonOptions, Console)}, with a command's own config check before Spark. */
  static JobContext open(
      CommonOptions options, Console console, Consumer<PipelineConfig> checkBeforeSpark) {
    PipelineConfig config = options.workspace.apply(PipelineConfigs.load(options.configFile()));
    checkBeforeSpark.accept(config);
    long start = System.nanoTime();
    ConnectSettings connect = options.workspace.connectSettings();
    SessionKind kind = Sessions.kind(options.workspace.connect, connect.remote(), System.getenv());
    SparkSession spark =
        Sessions.open(
            kind,
            LocalLakehouse.at(options.lakehouse, config.catalog()),
            connect,
            // The library's and the CLI's classes; Connect uploads them to the server.
            List.of(MedallionPipeline.class, JobContext.class));
    if (kind == SessionKind.LOCAL) {
      markSparkStarted();
    }
    String elapsed = Console.seconds(System.nanoTime() - start);
    String where =
        switch (kind) {
          case LOCAL -> "local lakehouse " + options.lakehouse.toAbsolutePath().normalize();
          case SPARK_CONNECT -> "Spark Connect session on " + connect.remote().orElseThrow();
          case DATABRICKS_CONNECT -> "Databricks Connect session";
          case SPARK_SUBMIT -> "spark-submit session on " + spark.conf().get("spark.master");
          case DATABRICKS_RUNTIME ->
              "Databricks Runtime " + System.getenv("DATABRICKS_RUNTIME_VERSION") + " session";
        };
    console.step("spark", "%s (catalog %s) ready in %s", where, config.catalog(), elapsed);
    return new JobContext(config, spark, console, kind);
  }

  /** Creates the launcher's marker file, when the launcher asked for one. */
  private static void markSparkStarted() {
    String marker = System.getProperty(SPARK_STARTED_MARKER, "");
    if (marker.isEmpty()) {
      return;
    }
    try {
      Files.write(Path.of(marker), new byte[0]);
    } catch (IOException | RuntimeException e) {
      // Without the marker the launcher drops the archive and the next run writes it again.
    }
  }

  @Override
  public void close() {
    // Inside Databricks the session belongs to the runtime: stopping it would end the job's driver.
    if (kind != SessionKind.DATABRICKS_RUNTIME) {
      spark.stop();
    }
  }
}
