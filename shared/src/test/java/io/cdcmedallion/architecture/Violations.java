package io.cdcmedallion.architecture;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/** Code that breaks each of {@link ServerlessRulesTest}'s rules; never run, only analysed. */
final class Violations {
  private Violations() {}

  static void cachesOutsideTheGuard(Dataset<Row> rows) {
    rows.persist();
    rows.cache();
  }

  static void usesTheSparkContext(SparkSession spark, Dataset<Row> rows) {
    spark.sparkContext();
    rows.rdd();
  }

  static Trigger everyMinute() {
    return Trigger.ProcessingTime(60_000);
  }

  static Trigger continuous() {
    return Trigger.Continuous(1_000);
  }

  static void setsConfigs(SparkSession spark) {
    spark.conf().set("spark.sql.shuffle.partitions", "4");
    SparkSession.builder().config("spark.ui.enabled", "false");
  }
}
