package io.cdcmedallion.postgres;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.sql.Identifiers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of {@link PostgresSync}.
 *
 * @param schema Postgres schema of the tables
 * @param tables tables to sync; empty means every table of the schema
 * @param shape metadata columns written to the history tables
 * @param flushInterval how often buffered changes are committed to Delta
 * @param once drain the changes available when the sync starts, then stop
 * @param slot name of the replication slot; the publication has the same name
 * @param onTruncate what to do when a synced table is truncated
 */
public record SyncSettings(
    String schema,
    Optional<List<String>> tables,
    MetadataShape shape,
    Duration flushInterval,
    boolean once,
    String slot,
    TruncatePolicy onTruncate) {

  /** What to do about TRUNCATE, which a history table cannot express row by row. */
  public enum TruncatePolicy {
    /** Commit what came before, then stop with an error (default). */
    STOP,
    /** Leave the history as it is and go on; silver keeps the truncated rows. */
    SKIP
  }

  public SyncSettings {
    Identifiers.requireValid(schema, "Postgres schema");
    tables.ifPresent(list -> list.forEach(t -> Identifiers.requireValid(t, "Postgres table")));
    tables = tables.map(List::copyOf);
    Objects.requireNonNull(shape, "shape");
    Identifiers.requireValid(slot, "replication slot name");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flush interval must be positive");
    }
    Objects.requireNonNull(onTruncate, "onTruncate");
  }
}
