package io.cdcmedallion.silver;

import java.time.Duration;

/**
 * What one micro-batch of incremental silver did.
 *
 * @param entity entity name
 * @param batchId the stream's batch id (stable when a batch is replayed after a crash)
 * @param rowsRead bronze rows in the batch
 * @param upserted silver rows inserted or updated
 * @param deleted silver rows deleted
 * @param stale keys whose latest event in the batch was not newer than what silver already held
 *     (replays, late out-of-order events), so nothing changed for them
 * @param elapsed wall-clock time of the batch
 */
public record SilverBatch(
    String entity,
    long batchId,
    long rowsRead,
    long upserted,
    long deleted,
    long stale,
    Duration elapsed) {}
