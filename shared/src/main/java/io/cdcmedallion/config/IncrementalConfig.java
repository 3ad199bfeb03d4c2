package io.cdcmedallion.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of incremental silver ({@code incremental:} in the pipeline YAML).
 *
 * @param checkpoints folder (local path or URI, e.g. a Databricks volume {@code
 *     /Volumes/main/silver/checkpoints}) holding one streaming checkpoint folder per entity; empty
 *     means {@code _checkpoints} inside the local lakehouse directory
 * @param tombstoneRetention how long the key and sequence of a delete are kept
 */
public record IncrementalConfig(Optional<String> checkpoints, Duration tombstoneRetention) {
  /** Tombstones are kept 7 days unless configured otherwise. */
  public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(7);

  public IncrementalConfig {
    Objects.requireNonNull(checkpoints, "checkpoints");
    if (tombstoneRetention.isNegative()) {
      throw new IllegalArgumentException("tombstone retention must not be negative");
    }
  }

  /** Default checkpoints folder and retention. */
  public static IncrementalConfig defaults() {
    return new IncrementalConfig(Optional.empty(), DEFAULT_TOMBSTONE_RETENTION);
  }
}
