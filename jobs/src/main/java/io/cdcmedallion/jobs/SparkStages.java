package io.cdcmedallion.jobs;

import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * The running stages of a classic session, from Spark's status tracker. Not compiled in the
 * Databricks Connect build (no status tracker there); {@link Progress#sparkStages} loads it by
 * name.
 */
final class SparkStages implements Progress.StageSource {
  private final JavaSparkStatusTracker tracker;

  private SparkStages(JavaSparkStatusTracker tracker) {
    this.tracker = tracker;
  }

  /** The stages of {@code spark}; throws for a session without a SparkContext (Connect). */
  static Progress.StageSource of(SparkSession spark) {
    return new SparkStages(JavaSparkContext.fromSparkContext(spark.sparkContext()).statusTracker());
  }

  @Override
  public Progress.Stages running() {
    int count = 0;
    long tasks = 0;
    long completed = 0;
    for (int id : tracker.getActiveStageIds()) {
      SparkStageInfo info = tracker.getStageInfo(id);
      if (info != null) {
        count++;
        tasks += info.numTasks();
        completed += info.numCompletedTasks();
      }
    }
    return new Progress.Stages(count, tasks, completed);
  }
}
