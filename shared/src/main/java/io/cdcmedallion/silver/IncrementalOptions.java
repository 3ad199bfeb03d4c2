package io.cdcmedallion.silver;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How incremental silver runs.
 *
 * @param continuous false: process what bronze holds now, then stop (available-now); true: keep
 *     running, starting a micro-batch every {@code interval}
 * @param interval time between micro-batches in continuous mode
 * @param checkpointRoot folder holding one checkpoint folder per entity; empty means {@code
 *     _checkpoints} next to the local warehouse
 * @param tombstoneRetention how long a delete's tombstone is kept
 */
public record IncrementalOptions(
    boolean continuous,
    Duration interval,
    Optional<String> checkpointRoot,
    Duration tombstoneRetention) {

  public IncrementalOptions {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(checkpointRoot, "checkpointRoot");
    Objects.requireNonNull(tombstoneRetention, "tombstoneRetention");
  }

  /** Available-now, default checkpoints and retention. */
  public static IncrementalOptions availableNow() {
    return new IncrementalOptions(
        false,
        Duration.ofSeconds(30),
        Optional.empty(),
        io.cdcmedallion.config.IncrementalConfig.DEFAULT_TOMBSTONE_RETENTION);
  }

  /** Options from the pipeline's {@code incremental:} settings. */
  public static IncrementalOptions of(
      io.cdcmedallion.config.IncrementalConfig config, boolean continuous, Duration interval) {
    return new IncrementalOptions(
        continuous, interval, config.checkpoints(), config.tombstoneRetention());
  }

  /** A copy with another tombstone retention. */
  public IncrementalOptions withTombstoneRetention(Duration retention) {
    return new IncrementalOptions(continuous, interval, checkpointRoot, retention);
  }

  /** A copy running continuously with this interval. */
  public IncrementalOptions continuousEvery(Duration newInterval) {
    return new IncrementalOptions(true, newInterval, checkpointRoot, tombstoneRetention);
  }
}
