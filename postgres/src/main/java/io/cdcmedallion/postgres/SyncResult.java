package io.cdcmedallion.postgres;

import java.util.Map;

/**
 * What a sync run did.
 *
 * @param snapshotRows rows written by the initial snapshot, per Postgres table (empty on restart)
 * @param changeRows history rows appended from the stream, per Postgres table
 * @param transactions transactions committed to Delta
 * @param skippedTransactions transactions replayed after a restart and skipped because Delta had
 *     them already
 * @param lastLsn the last LSN acknowledged to Postgres
 */
public record SyncResult(
    Map<String, Long> snapshotRows,
    Map<String, Long> changeRows,
    long transactions,
    long skippedTransactions,
    String lastLsn) {}
