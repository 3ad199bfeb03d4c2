package io.cdcmedallion.session;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Names the Spark jobs of one step with a job tag, {@value #PREFIX}{@code <step>}, so that the
 * Spark UI and listeners (the benchmark's per-step timings) can tell apart the steps of a streaming
 * micro-batch, whose jobs Spark otherwise describes all alike (by the query's name and batch id).
 * Session tags work on classic and Spark Connect sessions; they apply to the calling thread only.
 */
public final class StepTags {
  /** Start of every tag this class sets. */
  public static final String PREFIX = "cdcm-step-";

  private StepTags() {}

  /** Runs {@code work} with its Spark jobs tagged {@value #PREFIX}{@code step}. */
  public static <T> T tagged(SparkSession session, String step, Supplier<T> work) {
    String tag = PREFIX + step;
    session.addTag(tag);
    try {
      return work.get();
    } finally {
      session.removeTag(tag);
    }
  }

  /** As {@link #tagged(SparkSession, String, Supplier)}, for a step that returns nothing. */
  public static void run(SparkSession session, String step, Runnable work) {
    tagged(
        session,
        step,
        () -> {
          work.run();
          return null;
        });
  }
}
