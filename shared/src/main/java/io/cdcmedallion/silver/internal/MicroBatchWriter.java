package io.cdcmedallion.silver.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.CheckedRows;
import io.cdcmedallion.quality.Expectations;
import io.cdcmedallion.quality.Quarantine;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.session.DatasetCache;
import io.cdcmedallion.session.StepTags;
import io.cdcmedallion.silver.CurrentState;
import io.cdcmedallion.silver.Scd2History;
import io.cdcmedallion.silver.SilverBatch;
import io.cdcmedallion.silver.SilverExpectations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;

/**
 * Applies one micro-batch of an entity's bronze changes, in this order:
 *
 * <ol>
 *   <li>the contract checks and expectations on the batch's rows; dropped rows go to the quarantine
 *       (idempotently per checkpoint id and batch id);
 *   <li>the latest event per key of the batch ({@link CurrentState#latestEvents}, same tie rule as
 *       the full refresh);
 *   <li>{@code MERGE INTO} the state table: a key's row changes only when the event's ordering
 *       tuple is greater than the stored one; rows written are stamped with the batch id and record
 *       whether they change silver (a value, or whether the key exists);
 *   <li>with {@code scd: 2}, {@code MERGE INTO} the history table the versions of the keys the
 *       batch touched, recomputed from all of bronze ({@link Scd2History});
 *   <li>{@code MERGE INTO} silver of the state rows stamped with this batch id that change it:
 *       tombstones delete, others insert or update.
 * </ol>
 *
 * <p>Exactly-once without transaction ids: step 3 applied twice is step 3 applied once (an event
 * never beats itself), the history step writes rows that depend on bronze only, and the silver step
 * depends only on the state rows stamped with the batch id, which a replay of the same batch (same
 * id, same rows) leaves as they were. A crash anywhere, followed by the replay Structured Streaming
 * does from the checkpoint, therefore gives the table an uninterrupted run gives. The silver step
 * compares values only when rows of the batch were written by an earlier attempt, so a replay after
 * it committed changes nothing, and a first attempt does not read silver's values.
 */
final class MicroBatchWriter {
  /** The query id in a checkpoint's {@code metadata} file, {@code {"id":"<uuid>"}}. */
  private static final java.util.regex.Pattern METADATA_ID =
      java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

  private final PipelineConfig config;
  private final EntityConfig entity;
  private final TableName bronze;
  private final TableName silver;
  private final TableName state;
  private final String checkpoint;
  private final RunContext run;
  private String checkpointId;

  MicroBatchWriter(
      PipelineConfig config,
      EntityConfig entity,
      TableName bronze,
      TableName silver,
      String checkpoint,
      RunContext run) {
    this.config = config;
    this.entity = entity;
    this.bronze = bronze;
    this.silver = silver;
    this.state = CdcState.tableFor(silver);
    this.checkpoint = checkpoint;
    this.run = run;
  }

  /** Applies the batch; null when it held no rows. */
  SilverBatch apply(Dataset<Row> changes, long batchId) {
    long start = System.nanoTime();
    FaultPoint.BEFORE_WRITE.reached();
    // The emptiness check, the expectation pass, the quarantine and the latest-event aggregation
    // each read the batch: read its bronze files once, where the session can cache.
    DatasetCache cache = DatasetCache.forSession(changes.sparkSession());
    Dataset<Row> batch = cache.keep(changes);
    try {
      return applyCached(batch, batchId, start, cache);
    } finally {
      cache.release(batch);
    }
  }

  private SilverBatch applyCached(
      Dataset<Row> batch, long batchId, long start, DatasetCache cache) {
    SparkSession session = batch.sparkSession();
    BronzeHistory history = BronzeHistory.of(batch, bronze, entity, config.source());
    HistoryLayout layout = history.layout();
    if (StepTags.tagged(session, "read-batch", batch::isEmpty)) {
      return null;
    }
    List<String> tracked =
        entity.scd() == ScdType.TYPE_2
            ? Scd2History.trackedColumns(entity, layout, config.source())
            : null;
    StepTags.run(
        session,
        "schema",
        () ->
            new SchemaEvolution(config, entity, silver)
                .addNewColumns(session, layout, batch.schema()));
    // The contract checks and the entity's expectations, as in a full refresh, on this batch's
    // rows; everything is checked before the first write of the batch.
    Expectations checks = SilverExpectations.of(config, entity, history);
    CheckedRows checked = StepTags.tagged(session, "checks", () -> checks.apply(batch));
    SilverExpectations.requireNoFailures(checked, history, config, entity);
    // Idempotent per checkpoint and batch id: a replayed batch appends nothing again. The key is
    // the id Structured Streaming creates with the checkpoint and stores in it, so a checkpoint
    // that is lost and started anew (batch 0 again) is a new key, never "already written".
    String batchKey = checkpointId(session) + "/" + batchId;
    StepTags.run(
        session,
        "quarantine",
        () ->
            Quarantine.appendOnce(
                session,
                checked,
                config.quarantineTable(entity),
                run.runId(),
                "cdcm-quarantine-" + silver + "-" + checkpointId(session),
                batchId));
    // A batch replayed within the run (its query restarted) replaces its count: counted once.
    run.recordBatch(silver.toString(), batchKey, checked.report());
    Dataset<Row> latest = CurrentState.latestEvents(history, checked.kept());
    Dataset<Row> rows =
        cache.keep(
            CdcState.withChangeFlag(
                CdcState.rows(layout, history.sequenceWidth(), latest, batchId)));
    try {
      long keys = StepTags.tagged(session, "latest-events", rows::count);
      String view = "__cdcm_changes_" + entity.name();
      long written =
          StepTags.tagged(
              session,
              "merge-state",
              () ->
                  Tables.withTempView(
                      rows,
                      view,
                      () -> mergeIntoState(session, history, batch.schema(), rows.schema(), view)));
      if (tracked != null) {
        StepTags.run(
            session,
            "scd2-history",
            () -> rewriteHistory(session, batch.columns(), layout.keys(), rows, tracked));
      }
      FaultPoint.BETWEEN_WRITES.reached();
      long[] changed =
          StepTags.tagged(
              session,
              "merge-silver",
              () -> mergeIntoSilver(session, layout, batch.schema(), batchId, written, cache));
      FaultPoint.BEFORE_CHECKPOINT_COMMIT.reached();
      return new SilverBatch(
          entity.name(),
          batchId,
          checked.report().rowsIn(),
          changed[0],
          changed[1],
          keys - written,
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      cache.release(rows);
    }
  }

  /**
   * Merges the batch's latest events (the temporary view {@code view}) into the state table, after
   * adding the columns it lacks; returns the number of keys written.
   */
  private long mergeIntoState(
      SparkSession session,
      BronzeHistory history,
      StructType batchSchema,
      StructType rowsSchema,
      String view) {
    HistoryLayout layout = history.layout();
    CdcState.addMissingColumns(session, state, rowsSchema);
    if (history.options().ignoresNullUpdates()) {
      return CdcState.mergeCarryingIntoState(
          session,
          state,
          view,
          rowsSchema,
          layout.keys(),
          layout.valueColumns(),
          history.sequenceWidth());
    }
    List<String> ordering = CurrentState.ordering(layout, batchSchema, history.sequenceWidth());
    return CdcState.mergeIntoState(
        session, state, view, rowsSchema, layout.keys(), layout.valueColumns(), ordering);
  }

  /**
   * Merges into silver the state rows stamped with this batch that change it ({@link
   * CdcState#mergeIntoSilver}). They are read from the state table once and kept where the session
   * can cache: Delta's {@code MERGE} reads its source twice (to find the files it touches, then to
   * write), and reading the state table's batch files twice cost more than the rest of the
   * statement at 1M history rows (BENCHMARKS.md, fifth round).
   *
   * <p>Every row stamped with the batch was written by this attempt's state {@code MERGE} ({@code
   * written} rows) unless an earlier attempt wrote some: Structured Streaming replays a batch with
   * the same rows, whose events then beat nothing, and a checkpoint started anew numbers its
   * batches from 0 again. Only then can silver hold some of them already, and only then does the
   * {@code MERGE} compare values.
   */
  private long[] mergeIntoSilver(
      SparkSession session,
      HistoryLayout layout,
      StructType batchSchema,
      long batchId,
      long written,
      DatasetCache cache) {
    Dataset<Row> stamped =
        cache.keep(CdcState.writtenBy(session, state, layout.dataColumns(), batchId));
    String view = "__cdcm_written_" + entity.name();
    try {
      boolean earlierAttempt = stamped.count() > written;
      return Tables.withTempView(
          stamped.filter(col(CdcState.CHANGED)),
          view,
          () ->
              CdcState.mergeIntoSilver(
                  session,
                  view,
                  silver,
                  layout.keys(),
                  layout.dataColumns(),
                  batchSchema,
                  earlierAttempt));
    } finally {
      cache.release(stamped);
    }
  }

  /**
   * SCD type 2: recomputes the versions of every key the batch touched from all of bronze (latest
   * version, the batch's columns) and replaces those keys' rows in the history table with one
   * MERGE. The result depends on bronze only, not on what the table held, so a replayed batch
   * writes the same rows again, and a key that a later bronze version touches again is recomputed
   * by the batch that reads that version. The price is a bronze scan per batch.
   */
  private void rewriteHistory(
      SparkSession session,
      String[] batchColumns,
      List<String> keys,
      Dataset<Row> stateRows,
      List<String> tracked) {
    // The latest bronze version: the MERGE below is the only statement that reads it, so it sees
    // one snapshot. The batch's columns: a column added to bronze after this batch reaches the
    // history with the batch that carries it.
    Column[] columns = Arrays.stream(batchColumns).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> touched = stateRows.select(keys.stream().map(k -> col(k)).toArray(Column[]::new));
    Dataset<Row> keyRows =
        session
            .table(bronze.quoted())
            .select(columns)
            .join(touched, keys.toArray(new String[0]), "left_semi");
    BronzeHistory keyHistory = BronzeHistory.of(keyRows, bronze, entity, config.source());
    // The rows a full refresh keeps: valid, and not dropped by an expectation. Nothing goes to the
    // quarantine here; the batch that holds a row quarantines it.
    Dataset<Row> kept =
        SilverExpectations.of(config, entity, keyHistory)
            .keptRows(keyRows.filter(not(keyHistory.isInvalid())));
    Scd2History.replaceKeys(
        session,
        Scd2History.tableFor(silver),
        Scd2History.versions(keyHistory, kept, tracked),
        touched,
        keys,
        "__cdcm_history_" + entity.name());
  }

  /**
   * The id of the running query's checkpoint: Spark's query id, written to the checkpoint's {@code
   * metadata} file when the query is created (so before its first batch) and kept across restarts.
   * Read as a table read, which works on every kind of session (Spark Connect has no {@code
   * SparkContext}); once per query.
   */
  private String checkpointId(SparkSession session) {
    if (checkpointId == null) {
      for (Row line : session.read().text(checkpoint + "/metadata").collectAsList()) {
        java.util.regex.Matcher id = METADATA_ID.matcher(line.getString(0));
        if (id.find()) {
          checkpointId = id.group(1);
        }
      }
    }
    if (checkpointId != null) {
      return checkpointId;
    }
    for (StreamingQuery q : session.streams().active()) {
      if (("silver_incremental_" + entity.name()).equals(q.name())) {
        return q.id().toString();
      }
    }
    throw new IllegalStateException("no running query for entity " + entity.name());
  }
}
