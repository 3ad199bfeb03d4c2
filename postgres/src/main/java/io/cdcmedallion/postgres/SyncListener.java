package io.cdcmedallion.postgres;

import io.cdcmedallion.lakehouse.TableName;
import java.util.Map;

/** Progress of a sync; every method has a no-op default. */
public interface SyncListener {
  /** The initial snapshot of a table starts. */
  default void snapshotStarted(String table, TableName history) {}

  /** The initial snapshot of a table was committed at the slot's consistent point. */
  default void snapshotDone(String table, TableName history, long rows, String lsn) {}

  /**
   * A batch of transactions was committed to Delta (rows per history table) and is about to be
   * acknowledged to Postgres up to {@code lsn}.
   */
  default void flushed(Map<TableName, Long> rows, int transactions, String lsn) {}

  /** A change was skipped (a TRUNCATE under {@code SKIP}, or a transaction already in Delta). */
  default void skipped(String what) {}
}
