package io.cdcmedallion.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs one step for several independent items, up to {@value #MAX_AT_ONCE} at once ({@value
 * #PROPERTY} sets another number): entities (a full refresh, an available-now incremental run) or
 * gold tables (a rebuild). Each item writes its own tables, and a small table's step is mostly
 * latency on the driver (the Delta log, the metastore, jobs of a few tasks), which overlaps where a
 * core is free: the sample shop's four silver tables took about half the time side by side in a
 * warm JVM, and a CLI command 13 to 14% less (a cold JVM keeps the cores busy compiling;
 * BENCHMARKS.md). Spark schedules the jobs of concurrent steps first come, first served, so a large
 * table's step gets the cores as it would alone.
 *
 * <p>Every item runs to its end, whatever the others do; a failure is reported as it happens and
 * the first one in the items' order is thrown once all have ended.
 */
final class ParallelSteps {
  /**
   * Steps running at once, at most, unless the system property {@value #PROPERTY} says otherwise.
   */
  static final int MAX_AT_ONCE = 4;

  /**
   * JVM system property overriding {@link #MAX_AT_ONCE}; {@code 1} runs items one after another (to
   * read one item's Spark logs at a time, or to compare).
   */
  static final String PROPERTY = "cdcm.entitiesAtOnce";

  private ParallelSteps() {}

  /**
   * Runs {@code step} for every item, at once when {@code together} (else one after another, on the
   * calling thread), and returns the results of those that succeeded, in item order. Each failure
   * goes to {@code failed} when it happens; then the first failure in item order is thrown.
   */
  static <E, T> List<T> run(
      List<E> items,
      boolean together,
      Function<E, T> step,
      BiConsumer<E, RuntimeException> failed) {
    Function<E, T> reported =
        item -> {
          try {
            return step.apply(item);
          } catch (RuntimeException failure) {
            failed.accept(item, failure);
            throw failure;
          }
        };
    int threads = together ? Math.min(maxAtOnce(), items.size()) : 1;
    return threads <= 1 ? inOrder(items, reported) : atOnce(items, reported, threads);
  }

  /** {@link #MAX_AT_ONCE}, or the positive number {@value #PROPERTY} gives. */
  static int maxAtOnce() {
    Integer configured = Integer.getInteger(PROPERTY);
    return configured != null && configured > 0 ? configured : MAX_AT_ONCE;
  }

  private static <E, T> List<T> inOrder(List<E> items, Function<E, T> step) {
    List<T> results = new ArrayList<>();
    RuntimeException first = null;
    for (E item : items) {
      try {
        results.add(step.apply(item));
      } catch (RuntimeException failure) {
        first = first == null ? failure : first;
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  private static <E, T> List<T> atOnce(List<E> items, Function<E, T> step, int threads) {
    AtomicInteger created = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "cdcm-step-" + created.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (E item : items) {
        futures.add(pool.submit(() -> step.apply(item)));
      }
      List<T> results = new ArrayList<>();
      Throwable first = null;
      for (Future<T> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          first = first == null ? e.getCause() : first;
        } catch (InterruptedException e) {
          futures.forEach(f -> f.cancel(true));
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the items' steps ran", e);
        }
      }
      if (first instanceof RuntimeException failure) {
        throw failure;
      }
      if (first instanceof Error error) {
        throw error;
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
