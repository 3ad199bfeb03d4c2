package io.cdcmedallion.lakehouse;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Observation;
import scala.concurrent.Await;

/**
 * Metrics observed on a write ({@code Dataset.observe}), waited for with a bound. A Spark Connect
 * server does not return observed metrics for every write path (apache/spark SPARK-50372,
 * SPARK-54620), and {@link Observation#getAsJava()} then waits without end; a caller that counts
 * rows this way needs another way to count when none arrive.
 */
public final class ObservedMetrics {
  /**
   * How long to wait, after the write returned, for its observed metrics. Classic Spark delivers
   * them through its listener bus within milliseconds.
   */
  public static final Duration WAIT = Duration.ofSeconds(30);

  private ObservedMetrics() {}

  /**
   * The metrics of {@code observation}, by name, or an empty map when none arrived within {@code
   * wait}: a write path that reports none must cost a recount, never a job that waits without end.
   */
  public static Map<String, Object> await(Observation observation, Duration wait) {
    try {
      // future() holds a Map in Apache Spark and a Row in Databricks Connect: wait on it, read
      // the metrics through the API both share.
      Await.ready(
          observation.future(),
          scala.concurrent.duration.Duration.create(wait.toMillis(), TimeUnit.MILLISECONDS));
      return observation.getAsJava();
    } catch (TimeoutException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + observation.name(), e);
    }
  }
}
