package io.cdcmedallion.jobs;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import org.apache.spark.sql.SparkSession;

/** The config and session a command works with; closing it stops the session. */
final class JobContext implements AutoCloseable {
  final PipelineConfig config;
  final SparkSession spark;
  final Console console;

  private JobContext(PipelineConfig config, SparkSession spark, Console console) {
    this.config = config;
    this.spark = spark;
    this.console = console;
  }

  /** Loads the config first, so a config mistake is reported before Spark starts. */
  static JobContext open(CommonOptions options, Console console) {
    PipelineConfig config = PipelineConfigs.load(options.configFile());
    long start = System.nanoTime();
    SparkSession spark = Sessions.local(LocalLakehouse.at(options.lakehouse, config.catalog()));
    console.step(
        "spark",
        "local lakehouse %s (catalog %s) ready in %s",
        options.lakehouse.toAbsolutePath().normalize(),
        config.catalog(),
        Console.seconds(System.nanoTime() - start));
    return new JobContext(config, spark, console);
  }

  @Override
  public void close() {
    spark.stop();
  }
}
