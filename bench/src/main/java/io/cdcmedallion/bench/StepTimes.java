package io.cdcmedallion.bench;

import io.cdcmedallion.session.StepTags;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where a measured run spends its time: the wall time of each outermost Spark SQL execution that
 * our code started, named by Spark's call site (for example {@code saveAsTable at Tables.java:34}
 * or {@code sql at CdcState.java:161}). Inside a streaming micro-batch Spark describes every
 * execution by the query's name and batch instead: there the steps are named by the job tag
 * incremental silver sets around each of them ({@link StepTags}), as {@code micro-batch
 * merge-state}. Executions that start while a step runs (Delta's own queries inside a write or a
 * MERGE) count towards it only; executions with neither (the stream's own, Delta's snapshot
 * queries) are not steps. The rest of the run's time (planning, Delta log reads outside a step, the
 * streaming engine) is reported as "between queries".
 */
final class StepTimes extends SparkListener {
  private static final java.util.regex.Pattern CALL_SITE =
      java.util.regex.Pattern.compile(".* at [^ ]+\\.(java|scala):\\d+");

  /** The call-site executions running now (at most one outside nested Delta queries). */
  private final Deque<Long> running = new ArrayDeque<>();

  private final Map<Long, Long> outerStart = new LinkedHashMap<>();
  private final Map<Long, String> outerName = new LinkedHashMap<>();
  private final List<String> steps = new ArrayList<>();
  private final List<Long> millis = new ArrayList<>();

  /** Registers a listener on the session's Spark context. */
  static StepTimes on(SparkSession spark) {
    StepTimes times = new StepTimes();
    spark.sparkContext().addSparkListener(times);
    return times;
  }

  @Override
  public synchronized void onOtherEvent(SparkListenerEvent event) {
    if (event instanceof SparkListenerSQLExecutionStart start) {
      String name = name(start.description(), CollectionConverters.asJava(start.jobTags()));
      if (name == null) {
        return;
      }
      if (running.isEmpty()) {
        outerStart.put(start.executionId(), start.time());
        outerName.put(start.executionId(), name);
      }
      running.push(start.executionId());
    } else if (event instanceof SparkListenerSQLExecutionEnd end) {
      running.remove(end.executionId());
      Long began = outerStart.remove(end.executionId());
      if (began != null) {
        steps.add(outerName.remove(end.executionId()));
        millis.add(end.time() - began);
      }
    }
  }

  /** Forgets what was recorded, at the start of a measured run. */
  synchronized void reset() {
    steps.clear();
    millis.clear();
  }

  /**
   * One line: each step's seconds, grouped by name in the order first seen, then the rest of {@code
   * totalMillis}.
   */
  synchronized String summary(long totalMillis) {
    Map<String, long[]> byName = new LinkedHashMap<>();
    long inSteps = 0;
    for (int i = 0; i < steps.size(); i++) {
      long[] acc = byName.computeIfAbsent(steps.get(i), k -> new long[2]);
      acc[0] += millis.get(i);
      acc[1]++;
      inSteps += millis.get(i);
    }
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, long[]> e : byName.entrySet()) {
      line.append(
          String.format(
              "%s%s%s %.1f s",
              line.isEmpty() ? "" : "; ",
              e.getKey(),
              e.getValue()[1] > 1 ? " (x" + e.getValue()[1] + ")" : "",
              e.getValue()[0] / 1000.0));
    }
    line.append(
        String.format(
            "%sbetween queries %.1f s",
            line.isEmpty() ? "" : "; ", Math.max(0, totalMillis - inSteps) / 1000.0));
    return line.toString();
  }

  /**
   * The step an execution belongs to: {@code micro-batch <step>} for a job tag {@link StepTags}
   * set, else Spark's call site when the description is one; null when it is not a step.
   */
  static String name(String description, Set<String> jobTags) {
    for (String tag : jobTags) {
      // Spark prefixes a session's tags with the session's id.
      int at = tag.indexOf(StepTags.PREFIX);
      if (at >= 0) {
        return "micro-batch " + tag.substring(at + StepTags.PREFIX.length());
      }
    }
    String firstLine = description == null ? "" : description.strip().split("\n", 2)[0];
    String name = firstLine.length() > 60 ? firstLine.substring(0, 57) + "..." : firstLine;
    return CALL_SITE.matcher(name).matches() ? name : null;
  }
}
