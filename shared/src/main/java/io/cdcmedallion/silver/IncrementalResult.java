package io.cdcmedallion.silver;

import io.cdcmedallion.lakehouse.TableName;
import java.time.Duration;

/**
 * What one incremental silver run of one entity did, summed over its micro-batches.
 *
 * @param entity entity name
 * @param table the silver table
 * @param batches micro-batches processed (0 when bronze had no new changes)
 * @param rowsRead bronze rows read
 * @param upserted silver rows inserted or updated
 * @param deleted silver rows deleted
 * @param stale keys skipped because silver already held a newer or the same event
 * @param rebuilt true when this run rebuilt the entity from all history (a full refresh): it had no
 *     incremental state yet, or a column added to bronze stopped the stream
 * @param elapsed wall-clock time
 */
public record IncrementalResult(
    String entity,
    TableName table,
    long batches,
    long rowsRead,
    long upserted,
    long deleted,
    long stale,
    boolean rebuilt,
    Duration elapsed) {}
