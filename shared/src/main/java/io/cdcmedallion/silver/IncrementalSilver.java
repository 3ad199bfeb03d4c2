package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.CheckedRows;
import io.cdcmedallion.quality.Expectations;
import io.cdcmedallion.quality.Quarantine;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.silver.internal.CdcState;
import io.cdcmedallion.sql.Identifiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Incremental silver (SCD type 1, and type 2 with {@code scd: 2}): a Structured Streaming read of
 * the bronze history table, one checkpoint per entity, and per micro-batch
 *
 * <ol>
 *   <li>the latest event per key of the batch ({@link CurrentState#latestEvents}, same tie rule as
 *       the full refresh);
 *   <li>{@code MERGE INTO} the state table: a key's row changes only when the event's ordering
 *       tuple is greater than the stored one; rows written are stamped with the batch id;
 *   <li>with {@code scd: 2}, {@code MERGE INTO} the history table the versions of the keys the
 *       batch touched, recomputed from all of bronze ({@link Scd2History});
 *   <li>{@code MERGE INTO} silver of the state rows stamped with this batch id: tombstones delete,
 *       others insert or update.
 * </ol>
 *
 * <p>Exactly-once without transaction ids: step 2 applied twice is step 2 applied once (an event
 * never beats itself), the history step writes rows that depend on bronze only, and the silver step
 * depends only on the state rows stamped with the batch id, which a replay of the same batch (same
 * id, same rows) leaves as they were. A crash anywhere, followed by the replay Structured Streaming
 * does from the checkpoint, therefore gives the table an uninterrupted run gives.
 */
public final class IncrementalSilver {
  /** Where a test can make a micro-batch fail, as a crash would. */
  enum FaultPoint {
    BEFORE_WRITE,
    BETWEEN_WRITES,
    BEFORE_CHECKPOINT_COMMIT
  }

  private static volatile FaultPoint armedFault;

  private final SparkSession spark;
  private final PipelineConfig config;
  private final IncrementalOptions options;
  private final Consumer<SilverBatch> progress;
  private final RunContext run;

  /** Incremental silver whose expectation counts are not kept for a run log. */
  public IncrementalSilver(
      SparkSession spark,
      PipelineConfig config,
      IncrementalOptions options,
      Consumer<SilverBatch> progress) {
    this(spark, config, options, progress, RunContext.start("api"));
  }

  /**
   * @param run the run whose quality reports collect each micro-batch's expectation counts (summed
   *     per silver table)
   */
  public IncrementalSilver(
      SparkSession spark,
      PipelineConfig config,
      IncrementalOptions options,
      Consumer<SilverBatch> progress,
      RunContext run) {
    this.spark = spark;
    this.config = config;
    this.options = options;
    this.progress = progress;
    this.run = run;
  }

  /** Makes the next micro-batch that reaches {@code point} fail once (tests only). */
  static void failOnceAt(FaultPoint point) {
    armedFault = point;
  }

  private static void maybeFail(FaultPoint point) {
    if (armedFault == point) {
      armedFault = null;
      throw new IllegalStateException("injected fault at " + point);
    }
  }

  /**
   * Applies the bronze changes not yet applied to {@code silver_<entity>}. Without a state table
   * (first run, or silver built by an older version) it runs a full refresh instead, which leaves
   * the state and the bronze version the next incremental run starts after. Available-now returns
   * when bronze is caught up; continuous runs until the query stops or fails.
   */
  public IncrementalResult run(EntityConfig entity) {
    return runAll(List.of(entity)).get(0);
  }

  /**
   * {@link #run} for several entities. Available-now processes them one after another; continuous
   * starts one query per entity and runs until one of them stops or fails (then stops the others).
   */
  public List<IncrementalResult> runAll(List<EntityConfig> entities) {
    List<Running> running = new ArrayList<>();
    List<IncrementalResult> results = new ArrayList<>();
    // awaitAnyTermination returns at once if any query of the session ended before.
    spark.streams().resetTerminated();
    try {
      for (EntityConfig entity : entities) {
        Running r = start(entity);
        running.add(r);
        if (!options.continuous()) {
          r.await();
          results.add(r.result());
        }
      }
      if (options.continuous()) {
        boolean ended = false;
        while (!ended) {
          for (Running r : running) {
            r.startWhenBronzeHasNewVersion();
          }
          try {
            ended =
                spark.streams().active().length == 0
                    ? sleep(options.interval())
                    : spark.streams().awaitAnyTermination(options.interval().toMillis());
          } catch (StreamingQueryException e) {
            // Reported below by the query that failed, as the user-facing error.
            ended = true;
          }
        }
        for (Running r : running) {
          if (r.query != null && r.query.exception().isDefined()) {
            r.await();
          }
        }
        for (Running r : running) {
          r.stop();
          results.add(r.result());
        }
      }
      return results;
    } finally {
      for (Running r : running) {
        r.stop();
      }
    }
  }

  private Running start(EntityConfig entity) {
    long start = System.nanoTime();
    TableName silver = config.silverTable(entity);
    TableName state = CdcState.tableFor(silver);
    TableName bronze = config.historyTable(entity);
    Running running = new Running(entity, silver, bronze, start);
    running.guard(
        () -> {
          if (!Tables.exists(spark, bronze)) {
            throw Errors.bronzeTableMissing(bronze.toString(), entity.name(), config.source());
          }
          boolean historyMissing =
              entity.scd() == ScdType.TYPE_2 && !Tables.exists(spark, Scd2History.tableFor(silver));
          if (!Tables.exists(spark, state)
              || !Tables.exists(spark, silver)
              || historyMissing
              || !builtWith(entity, CdcState.properties(spark, state))) {
            // First run, or the entity's CDC options changed what state and silver hold.
            new SilverJob(spark, config, run).run(entity);
            running.rebuilt = true;
          }
          Map<String, String> properties = CdcState.properties(spark, state);
          String generation = properties.get(CdcState.GENERATION);
          if (generation == null) {
            throw Errors.incrementalStateUnusable(
                state.toString(), entity.name(), "it has no " + CdcState.GENERATION + " property");
          }
          OptionalLong startingVersion =
              properties.containsKey(CdcState.STARTING_VERSION)
                  ? OptionalLong.of(Long.parseLong(properties.get(CdcState.STARTING_VERSION)))
                  : OptionalLong.empty();
          CdcState.purgeTombstones(
              spark, state, options.tombstoneRetention().toSeconds(), Long.MIN_VALUE);
          OptionalLong current = Tables.currentVersion(spark, bronze);
          // The stream has never run for this generation when bronze has no version past the one
          // the full refresh read (startingVersion must exist when a stream starts).
          boolean nothingNew =
              startingVersion.isPresent()
                  && current.isPresent()
                  && current.getAsLong() < startingVersion.getAsLong();
          running.starter =
              () -> stream(entity, bronze, silver, state, generation, startingVersion, running);
          if (!nothingNew) {
            running.query = running.starter.call();
          } else if (options.continuous()) {
            // A Delta stream cannot start at a version that does not exist yet: wait for it.
            running.waitForVersion = startingVersion.getAsLong();
          }
          return null;
        });
    return running;
  }

  /** True when the state table was built with the entity's current CDC options. */
  private static boolean builtWith(EntityConfig entity, Map<String, String> properties) {
    String built = properties.getOrDefault(CdcState.OPTIONS, CdcOptions.NONE.fingerprint());
    return built.equals(entity.cdc().fingerprint());
  }

  private StreamingQuery stream(
      EntityConfig entity,
      TableName bronze,
      TableName silver,
      TableName state,
      String generation,
      OptionalLong startingVersion,
      Running running)
      throws Exception {
    // The catalog may cache the schema from before a column was added; Delta rejects a stream
    // whose schema differs from the table's.
    spark.catalog().refreshTable(bronze.quoted());
    DataStreamReader reader = spark.readStream().format("delta");
    if (startingVersion.isPresent()) {
      reader = reader.option("startingVersion", startingVersion.getAsLong());
    }
    Dataset<Row> changes =
        running.byPath ? reader.load(location(bronze)) : reader.table(bronze.quoted());
    String checkpoint = checkpointRoot() + "/" + silver + "/" + generation;
    VoidFunction2<Dataset<Row>, Long> apply =
        (batch, batchId) -> {
          SilverBatch done = applyBatch(entity, bronze, silver, state, generation, batch, batchId);
          if (done != null) {
            running.add(done);
            progress.accept(done);
          }
        };
    return changes
        .writeStream()
        .queryName("silver_incremental_" + entity.name())
        .option("checkpointLocation", checkpoint)
        .trigger(
            options.continuous()
                ? Trigger.ProcessingTime(options.interval().toMillis(), TimeUnit.MILLISECONDS)
                : Trigger.AvailableNow())
        .foreachBatch(apply)
        .start();
  }

  private SilverBatch applyBatch(
      EntityConfig entity,
      TableName bronze,
      TableName silver,
      TableName state,
      String generation,
      Dataset<Row> changes,
      long batchId) {
    long start = System.nanoTime();
    SparkSession session = changes.sparkSession();
    maybeFail(FaultPoint.BEFORE_WRITE);
    // The emptiness check, the expectation pass, the quarantine and the latest-event aggregation
    // each read the batch: read its bronze files once.
    Dataset<Row> batch = changes.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return applyCachedBatch(entity, bronze, silver, state, generation, batch, batchId, start);
    } finally {
      batch.unpersist();
    }
  }

  private SilverBatch applyCachedBatch(
      EntityConfig entity,
      TableName bronze,
      TableName silver,
      TableName state,
      String generation,
      Dataset<Row> batch,
      long batchId,
      long start) {
    SparkSession session = batch.sparkSession();
    BronzeHistory history = BronzeHistory.of(batch, bronze, entity, config.source());
    HistoryLayout layout = history.layout();
    if (batch.isEmpty()) {
      return null;
    }
    List<String> tracked =
        entity.scd() == ScdType.TYPE_2
            ? Scd2History.trackedColumns(entity, layout, config.source())
            : null;
    evolveSchema(session, entity, layout, batch.schema(), state, silver);
    // The contract checks and the entity's expectations, as in a full refresh, on this batch's
    // rows; everything is checked before the first write of the batch.
    Expectations checks = SilverExpectations.of(config, entity, history);
    CheckedRows checked = checks.apply(batch);
    SilverExpectations.requireNoFailures(checked, history, config, entity);
    // Idempotent per checkpoint generation and batch id: a replayed batch appends nothing again.
    Quarantine.appendOnce(
        session,
        checked,
        config.quarantineTable(entity),
        run.runId(),
        "cdcm-quarantine-" + silver + "-" + generation,
        batchId);
    run.record(silver.toString(), checked.report());
    Dataset<Row> latest = CurrentState.latestEvents(history, checked.kept());
    Dataset<Row> rows = CdcState.rows(layout, history.sequenceWidth(), latest, batchId).persist();
    try {
      long keys = rows.count();
      String view = "__cdcm_changes_" + entity.name();
      rows.createOrReplaceTempView(view);
      CdcState.addMissingColumns(session, state, rows.schema());
      long written;
      if (history.options().ignoresNullUpdates()) {
        written =
            CdcState.mergeCarryingIntoState(
                session,
                state,
                view,
                layout.keys(),
                layout.valueColumns(),
                history.sequenceWidth());
      } else {
        List<String> ordering =
            CurrentState.ordering(layout, batch.schema(), history.sequenceWidth());
        written = CdcState.mergeIntoState(session, state, view, layout.keys(), ordering);
      }
      if (tracked != null) {
        rewriteHistory(
            session, entity, bronze, silver, batch.columns(), layout.keys(), rows, tracked);
      }
      maybeFail(FaultPoint.BETWEEN_WRITES);
      long[] changed =
          CdcState.mergeIntoSilver(
              session, state, silver, layout.keys(), layout.dataColumns(), batch.schema(), batchId);
      maybeFail(FaultPoint.BEFORE_CHECKPOINT_COMMIT);
      session.catalog().dropTempView(view);
      return new SilverBatch(
          entity.name(),
          batchId,
          checked.report().rowsIn(),
          changed[0],
          changed[1],
          keys - written,
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      rows.unpersist();
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
      EntityConfig entity,
      TableName bronze,
      TableName silver,
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
   * Added bronze columns are added to silver (null in existing rows; the state table gets them with
   * the batch's rows), as a full refresh would show them; a dropped or retyped column stops the
   * run, since the rows already applied cannot be recomputed without the full history.
   */
  private void evolveSchema(
      SparkSession session,
      EntityConfig entity,
      HistoryLayout layout,
      StructType batchSchema,
      TableName state,
      TableName silver) {
    List<String> added = new ArrayList<>();
    String problem =
        compareSchemas(session.table(silver.quoted()).schema(), layout, batchSchema, added);
    if (problem != null) {
      throw Errors.silverSchemaChanged(silver.toString(), entity.name(), problem);
    }
    if (!added.isEmpty()) {
      String columns = String.join(", ", added);
      session.sql("ALTER TABLE " + silver.quoted() + " ADD COLUMNS (" + columns + ")");
    }
    if (entity.scd() == ScdType.TYPE_2) {
      // Checked on its own: a replay after a crash between the ALTERs finds silver done already.
      // Added columns go where a full refresh puts them, before __START_AT.
      TableName history = Scd2History.tableFor(silver);
      List<String> present = Arrays.asList(session.table(history.quoted()).columns());
      String previous = null;
      for (String column : layout.dataColumns()) {
        if (!present.contains(column)) {
          session.sql(
              String.format(
                  "ALTER TABLE %s ADD COLUMNS (%s %s %s)",
                  history.quoted(),
                  Identifiers.quote(column),
                  batchSchema.apply(column).dataType().sql(),
                  previous == null ? "FIRST" : "AFTER " + Identifiers.quote(previous)));
        }
        previous = column;
      }
    }
  }

  /**
   * Compares silver's columns with the bronze data columns: returns what was dropped or retyped, or
   * null when bronze only added columns (their DDL goes to {@code added}).
   */
  private static String compareSchemas(
      StructType silverSchema, HistoryLayout layout, StructType bronzeSchema, List<String> added) {
    Map<String, DataType> existing = new LinkedHashMap<>();
    for (StructField field : silverSchema.fields()) {
      existing.put(field.name(), field.dataType());
    }
    for (String column : layout.dataColumns()) {
      DataType type = bronzeSchema.apply(column).dataType();
      DataType before = existing.remove(column);
      if (before == null) {
        added.add(Identifiers.quote(column) + " " + type.sql());
      } else if (!before.sameType(type)) {
        return String.format(
            "column %s changed type from %s to %s",
            column, before.simpleString(), type.simpleString());
      }
    }
    if (!existing.isEmpty()) {
      return "column(s) " + String.join(", ", existing.keySet()) + " no longer in bronze";
    }
    return null;
  }

  /**
   * After the Delta source stopped on a bronze schema change: a dropped or retyped column is an
   * error; added columns rebuild the entity from all history once (a Delta stream started with
   * {@code startingVersion} cannot continue across the change), which starts a new checkpoint.
   */
  private void rebuildAfterSchemaChange(EntityConfig entity, TableName silver) {
    requireCompatibleSchema(entity, silver);
    new SilverJob(spark, config).run(entity);
  }

  /** Fails with the dropped or retyped column when bronze no longer fits silver. */
  private void requireCompatibleSchema(EntityConfig entity, TableName silver) {
    BronzeHistory bronze = BronzeHistory.read(spark, config, entity);
    String problem =
        compareSchemas(
            spark.table(silver.quoted()).schema(),
            bronze.layout(),
            bronze.rows().schema(),
            new ArrayList<>());
    if (problem != null) {
      throw Errors.silverSchemaChanged(silver.toString(), entity.name(), problem);
    }
  }

  private String location(TableName table) {
    return spark.sql("DESCRIBE DETAIL " + table.quoted()).select("location").first().getString(0);
  }

  private static boolean sleep(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private String checkpointRoot() {
    return options
        .checkpointRoot()
        .orElseGet(
            () -> {
              String warehouse = spark.conf().get("spark.sql.warehouse.dir");
              String trimmed =
                  warehouse.endsWith("/")
                      ? warehouse.substring(0, warehouse.length() - 1)
                      : warehouse;
              return trimmed.substring(0, trimmed.lastIndexOf('/')) + "/_checkpoints";
            });
  }

  private static MedallionException medallionCause(Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof MedallionException m) {
        return m;
      }
    }
    return null;
  }

  /** One entity's query and the sums of its batches; batches of one query run one at a time. */
  private final class Running {
    final EntityConfig entity;
    final TableName silver;
    final TableName bronze;
    final long startNanos;
    volatile StreamingQuery query;
    java.util.concurrent.Callable<StreamingQuery> starter;
    long waitForVersion = -1;
    volatile boolean byPath;
    long batches;
    long rowsRead;
    long upserted;
    long deleted;
    long stale;
    boolean rebuilt;

    Running(EntityConfig entity, TableName silver, TableName bronze, long startNanos) {
      this.entity = entity;
      this.silver = silver;
      this.bronze = bronze;
      this.startNanos = startNanos;
    }

    synchronized void add(SilverBatch b) {
      batches++;
      rowsRead += b.rowsRead();
      upserted += b.upserted();
      deleted += b.deleted();
      stale += b.stale();
    }

    void startWhenBronzeHasNewVersion() {
      if (query != null || waitForVersion < 0) {
        return;
      }
      guard(
          () -> {
            OptionalLong current = Tables.currentVersion(spark, bronze);
            if (current.isPresent() && current.getAsLong() >= waitForVersion) {
              waitForVersion = -1;
              query = starter.call();
            }
            return null;
          });
    }

    void await() {
      guard(
          () -> {
            for (int restarts = 0; query != null; restarts++) {
              try {
                query.awaitTermination();
                return null;
              } catch (StreamingQueryException e) {
                // The Delta source stops once when bronze gained a column and asks for a restart;
                // the restart reads with the new schema from the same checkpoint.
                String message = String.valueOf(e.getMessage());
                if (message.contains("DELTA_SCHEMA_CHANGED")
                    || message.contains("DELTA_STREAMING_INCOMPATIBLE_SCHEMA_CHANGE")) {
                  rebuildAfterSchemaChange(entity, silver);
                  rebuilt = true;
                  return null;
                }
                if (!message.contains("DELTA_UNSUPPORTED_SCHEMA_DURING_READ") || restarts >= 2) {
                  throw e;
                }
                // The metastore still holds the schema from before a column was added; the
                // table's Delta log, read by path, has the current one.
                byPath = true;
                query = starter.call();
              }
            }
            return null;
          });
    }

    void stop() {
      try {
        if (query != null && query.isActive()) {
          query.stop();
        }
      } catch (Exception e) {
        // Stopping after a failure: the failure is what the caller sees.
      }
    }

    synchronized IncrementalResult result() {
      return new IncrementalResult(
          entity.name(),
          silver,
          batches,
          rowsRead,
          upserted,
          deleted,
          stale,
          rebuilt,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Runs {@code step}, turning any failure into the user-facing error. */
    void guard(java.util.concurrent.Callable<Void> step) {
      try {
        step.call();
      } catch (MedallionException e) {
        throw e;
      } catch (Exception e) {
        MedallionException inner = medallionCause(e);
        if (inner != null) {
          throw inner;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("DELTA_SOURCE_TABLE_IGNORE_CHANGES")
            || message.contains("DELTA_SOURCE_IGNORE_DELETE")) {
          // A rewrite that also dropped or retyped a column: name the column.
          requireCompatibleSchema(entity, silver);
          throw Errors.bronzeRewritten(bronze.toString(), entity.name());
        }
        throw Errors.stepFailed("incremental silver " + entity.name(), silver.toString(), e);
      }
    }
  }
}
