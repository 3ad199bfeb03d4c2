package io.cdcmedallion.bench;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One local Spark session per test class, on a lakehouse in a fresh temporary directory, with the
 * benchmark's catalog ({@link BenchHistory#pipeline}).
 */
abstract class BenchSparkTest {
  @TempDir static Path lakehouse;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = Sessions.local(LocalLakehouse.at(lakehouse, PipelineConfig.DEFAULT_CATALOG));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }
}
