package io.cdcmedallion.jobs;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * A progress indication while a long command runs: after a few seconds, how long it has been
 * running and how far the running Spark stages are. In a terminal it is one status line rewritten
 * every second; otherwise (a log, a pipe) a progress line every {@link #LOG_INTERVAL}.
 */
final class Progress implements AutoCloseable {
  /** In a terminal: first shown after this, then updated every second. */
  static final Duration TERMINAL_DELAY = Duration.ofSeconds(3);

  /** Not in a terminal: a line after this and then again at this interval. */
  static final Duration LOG_INTERVAL = Duration.ofSeconds(15);

  /**
   * The stages running right now, summed.
   *
   * @param stages how many stages are running
   * @param tasks their tasks
   * @param completed their completed tasks
   */
  record Stages(int stages, long tasks, long completed) {
    static final Stages UNKNOWN = new Stages(0, 0, 0);
  }

  /** Where the running stages come from (Spark's status tracker, or a fake in tests). */
  interface StageSource {
    Stages running();
  }

  /** A monotonic clock in nanoseconds. */
  interface Clock {
    long nanoTime();
  }

  private final Console console;
  private final String step;
  private final Clock clock;
  private final StageSource stages;
  private final boolean terminal;
  private final long start;
  private long lastShown = Long.MIN_VALUE;
  private ScheduledExecutorService timer;

  Progress(Console console, String step, Clock clock, StageSource stages, boolean terminal) {
    this.console = console;
    this.step = step;
    this.clock = clock;
    this.stages = stages;
    this.terminal = terminal;
    this.start = clock.nanoTime();
  }

  /**
   * Starts showing progress for {@code step} until {@link #close()}: as a status line when standard
   * output is a terminal, as a line every {@link #LOG_INTERVAL} otherwise.
   */
  static Progress start(Console console, String step, SparkSession spark) {
    Progress progress =
        new Progress(console, step, System::nanoTime, sparkStages(spark), System.console() != null);
    progress.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "progress");
              thread.setDaemon(true);
              return thread;
            });
    progress.timer.scheduleAtFixedRate(progress::tick, 250, 250, TimeUnit.MILLISECONDS);
    return progress;
  }

  /** Shows the progress when it is due; the timer calls this often. */
  synchronized void tick() {
    long now = clock.nanoTime();
    long elapsed = now - start;
    Duration delay = terminal ? TERMINAL_DELAY : LOG_INTERVAL;
    Duration every = terminal ? Duration.ofSeconds(1) : LOG_INTERVAL;
    if (elapsed < delay.toNanos()
        || (lastShown != Long.MIN_VALUE && now - lastShown < every.toNanos())) {
      return;
    }
    lastShown = now;
    Stages running;
    try {
      running = stages.running();
    } catch (RuntimeException e) {
      // The tracker is a nicety: a session that cannot report stages still shows the time.
      running = Stages.UNKNOWN;
    }
    String text = line(elapsed, running);
    if (terminal) {
      console.status(step, text);
    } else {
      console.step(step, "%s", text);
    }
  }

  /** {@code running 1 min 05 s: 2 stages, 137 of 400 tasks done}. */
  static String line(long elapsedNanos, Stages running) {
    long seconds = elapsedNanos / 1_000_000_000L;
    String time =
        seconds < 60
            ? seconds + " s"
            : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    if (running.stages() == 0) {
      return "running " + time;
    }
    return String.format(
        Locale.ROOT,
        "running %s: %d stage%s, %s of %s tasks done",
        time,
        running.stages(),
        running.stages() == 1 ? "" : "s",
        Console.count(running.completed()),
        Console.count(running.tasks()));
  }

  /** Stops the timer and removes the status line. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    console.clearStatus();
  }

  /**
   * The running stages from Spark's status tracker ({@code SparkStages}); unknown for remote
   * (Connect) sessions, and in the Databricks Connect build, which has no status tracker and leaves
   * that class out.
   */
  static StageSource sparkStages(SparkSession spark) {
    try {
      Class<?> tracker =
          Class.forName(
              Progress.class.getPackageName() + ".SparkStages",
              true,
              Progress.class.getClassLoader());
      return (StageSource) tracker.getDeclaredMethod("of", SparkSession.class).invoke(null, spark);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return () -> Stages.UNKNOWN;
    }
  }
}
