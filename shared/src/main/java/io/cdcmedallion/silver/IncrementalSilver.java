package io.cdcmedallion.silver;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.silver.internal.EntityStream;
import io.cdcmedallion.silver.internal.FaultPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * Incremental silver (SCD type 1, and type 2 with {@code scd: 2}): a Structured Streaming read of
 * each entity's bronze history table, one checkpoint per entity, and per micro-batch a {@code MERGE
 * INTO} the entity's state table, its SCD 2 history and silver, in an order that makes a replayed
 * batch a no-op (see {@code silver/internal/MicroBatchWriter}). A crash anywhere, followed by the
 * replay Structured Streaming does from the checkpoint, gives the table an uninterrupted run gives.
 *
 * <p>Without a state table (first run, or silver built by an older version) an entity gets a full
 * refresh instead, which leaves the state and the bronze version the next run starts after.
 */
public final class IncrementalSilver {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final IncrementalOptions options;
  private final Consumer<SilverBatch> progress;
  private final RunContext run;

  /** Incremental silver whose expectation counts are not kept for a run log. */
  public IncrementalSilver(
      SparkSession spark,
      PipelineConfig config,
      IncrementalOptions options,
      Consumer<SilverBatch> progress) {
    this(spark, config, options, progress, RunContext.start("api"));
  }

  /**
   * @param run the run whose quality reports collect each micro-batch's expectation counts (summed
   *     per silver table)
   */
  public IncrementalSilver(
      SparkSession spark,
      PipelineConfig config,
      IncrementalOptions options,
      Consumer<SilverBatch> progress,
      RunContext run) {
    this.spark = spark;
    this.config = config;
    this.options = options;
    this.progress = progress;
    this.run = run;
  }

  /** Makes the next micro-batch that reaches {@code point} fail once (tests only). */
  static void failOnceAt(FaultPoint point) {
    FaultPoint.failOnceAt(point);
  }

  /**
   * Applies the bronze changes not yet applied to {@code silver_<entity>}. Available-now returns
   * when bronze is caught up; continuous runs until the query stops or fails.
   */
  public IncrementalResult run(EntityConfig entity) {
    return runAll(List.of(entity)).get(0);
  }

  /**
   * {@link #run} for several entities. Available-now processes them one after another; continuous
   * starts one query per entity and runs until one of them stops (then stops the others). In
   * continuous mode an entity whose query fails does not stop the others: they run on, and the
   * first failure is thrown once they have stopped.
   */
  public List<IncrementalResult> runAll(List<EntityConfig> entities) {
    List<RuntimeException> failures = new ArrayList<>();
    List<IncrementalResult> results = runAll(entities, (entity, failure) -> failures.add(failure));
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return results;
  }

  /**
   * {@link #runAll(List)}, with continuous runs reporting each entity whose query failed to {@code
   * failed} (with the user-facing error) as it fails, while the other entities run on. Returns the
   * results of the entities that did not fail. Available-now runs throw the first failure.
   */
  public List<IncrementalResult> runAll(
      List<EntityConfig> entities, BiConsumer<EntityConfig, RuntimeException> failed) {
    List<EntityStream> streams = new ArrayList<>();
    List<IncrementalResult> results = new ArrayList<>();
    // awaitAnyTermination returns at once if any query of the session ended before.
    spark.streams().resetTerminated();
    try {
      Map<EntityStream, EntityConfig> live = new LinkedHashMap<>();
      for (EntityConfig entity : entities) {
        EntityStream stream = new EntityStream(spark, config, options, run, progress, entity);
        streams.add(stream);
        if (!options.continuous()) {
          stream.start();
          stream.await();
          results.add(stream.result());
          continue;
        }
        try {
          stream.start();
          live.put(stream, entity);
        } catch (RuntimeException failure) {
          failed.accept(entity, failure);
        }
      }
      if (options.continuous()) {
        runUntilOneStops(live, failed);
        for (Map.Entry<EntityStream, EntityConfig> stream : live.entrySet()) {
          stream.getKey().stop();
          results.add(stream.getKey().result());
        }
      }
      return results;
    } finally {
      for (EntityStream stream : streams) {
        stream.stop();
      }
    }
  }

  /**
   * Runs the live streams until one stops without an error (or the thread is interrupted); a stream
   * whose query fails leaves {@code live}, reported to {@code failed}, and the others run on.
   */
  private void runUntilOneStops(
      Map<EntityStream, EntityConfig> live, BiConsumer<EntityConfig, RuntimeException> failed) {
    boolean ended = false;
    while (!ended && !live.isEmpty()) {
      for (Map.Entry<EntityStream, EntityConfig> stream : List.copyOf(live.entrySet())) {
        try {
          stream.getKey().startWhenBronzeHasNewVersion();
        } catch (RuntimeException failure) {
          live.remove(stream.getKey());
          failed.accept(stream.getValue(), failure);
        }
      }
      boolean terminated;
      try {
        terminated =
            spark.streams().active().length == 0
                ? sleep(options.interval())
                : spark.streams().awaitAnyTermination(options.interval().toMillis());
      } catch (StreamingQueryException e) {
        // Reported below by the query that failed, as the user-facing error.
        terminated = true;
      }
      if (!terminated) {
        continue;
      }
      spark.streams().resetTerminated();
      ended = Thread.currentThread().isInterrupted();
      for (Map.Entry<EntityStream, EntityConfig> stream : List.copyOf(live.entrySet())) {
        if (stream.getKey().failed()) {
          try {
            // Rethrows the query's error as the user-facing one; a bronze schema change
            // rebuilds the entity instead, and its query has ended.
            stream.getKey().await();
            ended = true;
          } catch (RuntimeException failure) {
            live.remove(stream.getKey());
            failed.accept(stream.getValue(), failure);
          }
        } else if (stream.getKey().stopped()) {
          ended = true;
        }
      }
    }
  }

  private static boolean sleep(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
