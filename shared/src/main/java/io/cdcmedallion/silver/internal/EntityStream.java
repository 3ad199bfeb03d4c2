package io.cdcmedallion.silver.internal;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.silver.IncrementalOptions;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.Scd2History;
import io.cdcmedallion.silver.SilverBatch;
import io.cdcmedallion.silver.SilverJob;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * One entity's incremental run: prepares the state (a full refresh when there is none, or when the
 * entity's CDC options changed), starts the Structured Streaming query over bronze from the state's
 * checkpoint generation, restarts it across bronze schema changes, and sums its micro-batches.
 * Every failure leaves as the user-facing error. Batches of one query run one at a time.
 */
public final class EntityStream {
  /** A checkpoint log file named in Spark's messages, e.g. {@code offsets/0}. */
  private static final Pattern CHECKPOINT_FILE = Pattern.compile("((?:offsets|commits)/[0-9]+)");

  private final SparkSession spark;
  private final PipelineConfig config;
  private final IncrementalOptions options;
  private final RunContext run;
  private final Consumer<SilverBatch> progress;
  private final EntityConfig entity;
  private final TableName silver;
  private final TableName bronze;
  private final TableName state;
  private final long startNanos = System.nanoTime();

  private volatile StreamingQuery query;
  private volatile boolean byPath;
  private volatile String checkpoint;
  private final Map<Long, SilverBatch> counted = new HashMap<>();
  private Callable<StreamingQuery> starter;
  private long waitForVersion = -1;
  private long batches;
  private long rowsRead;
  private long upserted;
  private long deleted;
  private long stale;
  private boolean rebuilt;

  public EntityStream(
      SparkSession spark,
      PipelineConfig config,
      IncrementalOptions options,
      RunContext run,
      Consumer<SilverBatch> progress,
      EntityConfig entity) {
    this.spark = spark;
    this.config = config;
    this.options = options;
    this.run = run;
    this.progress = progress;
    this.entity = entity;
    this.silver = config.silverTable(entity);
    this.bronze = config.historyTable(entity);
    this.state = CdcState.tableFor(silver);
  }

  /**
   * Builds what the stream needs and starts it, unless bronze has no version past the one the last
   * full refresh read (continuous runs then start it once that version exists).
   */
  public void start() {
    guard(
        () -> {
          if (!Tables.exists(spark, bronze)) {
            throw Errors.bronzeTableMissing(bronze.toString(), entity.name(), config.source());
          }
          boolean historyMissing =
              entity.scd() == ScdType.TYPE_2 && !Tables.exists(spark, Scd2History.tableFor(silver));
          if (!Tables.exists(spark, state)
              || !Tables.exists(spark, silver)
              || historyMissing
              || !builtWithCurrentOptions(Tables.properties(spark, state))) {
            // First run, or the entity's CDC options changed what state and silver hold.
            new SilverJob(spark, config, run).run(entity);
            rebuilt = true;
          }
          Map<String, String> properties = Tables.properties(spark, state);
          String generation = properties.get(CdcState.GENERATION);
          if (generation == null) {
            throw Errors.incrementalStateUnusable(
                state.toString(), entity.name(), "it has no " + CdcState.GENERATION + " property");
          }
          if (!rebuilt && !CdcState.holdsGeneration(spark, state, silver, generation)) {
            // The last full refresh stopped after writing the state: finish it.
            List<String> columns = BronzeHistory.read(spark, config, entity).layout().dataColumns();
            CdcState.replaceSilver(spark, columns, state, silver, generation);
          }
          CdcState.keepStatistics(spark, state, entity.keys(), properties);
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
          starter = () -> startQuery(generation, startingVersion);
          if (!nothingNew) {
            query = starter.call();
          } else if (options.continuous()) {
            // A Delta stream cannot start at a version that does not exist yet: wait for it.
            waitForVersion = startingVersion.getAsLong();
          }
          return null;
        });
  }

  /** True when the state table was built with the entity's current CDC options. */
  private boolean builtWithCurrentOptions(Map<String, String> properties) {
    String built = properties.getOrDefault(CdcState.OPTIONS, CdcOptions.NONE.fingerprint());
    return built.equals(entity.cdc().fingerprint());
  }

  private StreamingQuery startQuery(String generation, OptionalLong startingVersion)
      throws Exception {
    // The catalog may cache the schema from before a column was added; Delta rejects a stream
    // whose schema differs from the table's.
    spark.catalog().refreshTable(bronze.quoted());
    DataStreamReader reader = spark.readStream().format("delta");
    if (startingVersion.isPresent()) {
      reader = reader.option("startingVersion", startingVersion.getAsLong());
    }
    Dataset<Row> changes = byPath ? reader.load(location(bronze)) : reader.table(bronze.quoted());
    String checkpoint = checkpointRoot() + "/" + silver + "/" + generation;
    this.checkpoint = checkpoint;
    MicroBatchWriter writer = new MicroBatchWriter(config, entity, bronze, silver, checkpoint, run);
    VoidFunction2<Dataset<Row>, Long> apply =
        (batch, batchId) -> {
          SilverBatch done = writer.apply(batch, batchId);
          if (done != null && add(done)) {
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

  /**
   * Adds a batch's counts, unless a batch with its id was counted before in this run: replayed
   * after a restart of the query, it was applied completely the first time and its replay changes
   * nothing (see {@link MicroBatchWriter}), so the first counts stand and it is not reported again.
   *
   * @return true when the batch was counted (and is to be reported)
   */
  private synchronized boolean add(SilverBatch b) {
    if (counted.putIfAbsent(b.batchId(), b) != null) {
      return false;
    }
    batches++;
    rowsRead += b.rowsRead();
    upserted += b.upserted();
    deleted += b.deleted();
    stale += b.stale();
    return true;
  }

  /** Continuous runs: starts the query once bronze has the version the stream starts at. */
  public void startWhenBronzeHasNewVersion() {
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

  /** True when the query stopped with an error (continuous runs then report it by awaiting it). */
  public boolean failed() {
    return query != null && query.exception().isDefined();
  }

  /** True when the query ended without an error (stopped). */
  public boolean stopped() {
    return query != null && !query.isActive() && query.exception().isEmpty();
  }

  /** Waits for the query to end; restarts it across bronze schema changes. */
  public void await() {
    guard(
        () -> {
          for (int restarts = 0; query != null; restarts++) {
            try {
              query.awaitTermination();
              return null;
            } catch (StreamingQueryException e) {
              // The Delta source stops once when bronze gained a column and asks for a restart;
              // the restart reads with the new schema from the same checkpoint.
              if (DeltaConditions.has(
                  e, DeltaConditions.SCHEMA_CHANGED, DeltaConditions.INCOMPATIBLE_SCHEMA_CHANGE)) {
                rebuildAfterSchemaChange();
                rebuilt = true;
                return null;
              }
              if (!DeltaConditions.has(e, DeltaConditions.UNSUPPORTED_SCHEMA_DURING_READ)
                  || restarts >= 2) {
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

  /**
   * After the Delta source stopped on a bronze schema change: a dropped or retyped column is an
   * error; added columns rebuild the entity from all history once (a Delta stream started with
   * {@code startingVersion} cannot continue across the change), which starts a new checkpoint.
   */
  private void rebuildAfterSchemaChange() {
    new SchemaEvolution(config, entity, silver).requireCompatible(spark);
    // The run's context: rows the rebuild quarantines carry the run's id, as its run-log row does.
    new SilverJob(spark, config, run).run(entity);
  }

  /** Stops the query if it still runs. */
  public void stop() {
    try {
      if (query != null && query.isActive()) {
        query.stop();
      }
    } catch (Exception e) {
      // Stopping after a failure: the failure is what the caller sees.
    }
  }

  /** The sums of the batches applied so far. */
  public synchronized IncrementalResult result() {
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
  private void guard(Callable<Void> step) {
    try {
      step.call();
    } catch (MedallionException e) {
      throw e;
    } catch (Exception e) {
      MedallionException inner = medallionCause(e);
      if (inner != null) {
        throw inner;
      }
      String damage = checkpointDamage(e);
      if (damage != null) {
        throw Errors.checkpointDamaged(entity.name(), String.valueOf(checkpoint), damage, e);
      }
      if (DeltaConditions.has(
          e, DeltaConditions.SOURCE_IGNORE_CHANGES, DeltaConditions.SOURCE_IGNORE_DELETE)) {
        // A rewrite that also dropped or retyped a column: name the column.
        new SchemaEvolution(config, entity, silver).requireCompatible(spark);
        throw Errors.bronzeRewritten(bronze.toString(), entity.name());
      }
      throw Errors.stepFailed("incremental silver " + entity.name(), silver.toString(), e);
    }
  }

  /**
   * What is damaged in a checkpoint, when {@code t} (or a cause) says a checkpoint file cannot be
   * read; null otherwise.
   */
  static String checkpointDamage(Throwable t) {
    String file = null;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      Matcher named = CHECKPOINT_FILE.matcher(message);
      if (file == null && named.find()) {
        file = named.group(1);
      }
      String log = checkpointLogReading(t);
      if (log != null
          || message.contains("MALFORMED_LOG_FILE")
          || message.contains("Incomplete log file")) {
        String what = file != null ? file : log != null ? log : "a log file";
        return what + " cannot be read: " + Errors.firstLine(t);
      }
    }
    return null;
  }

  /**
   * The checkpoint log ({@code offsets/}, {@code commits/}, {@code metadata}) whose file {@code t}
   * was thrown while parsing, or null: Spark's own messages (a JSON parser's "Unexpected
   * end-of-input") do not always name the file.
   */
  private static String checkpointLogReading(Throwable t) {
    for (StackTraceElement frame : t.getStackTrace()) {
      String type = frame.getClassName();
      if (type.endsWith(".OffsetSeqLog") || type.endsWith(".OffsetSeq$")) {
        return "an offsets/ file";
      }
      if (type.endsWith(".CommitLog") || type.endsWith(".CommitMetadata$")) {
        return "a commits/ file";
      }
      if (type.endsWith(".StreamMetadata$")) {
        return "the metadata file";
      }
    }
    return null;
  }

  private static MedallionException medallionCause(Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof MedallionException m) {
        return m;
      }
    }
    return null;
  }

  private String location(TableName table) {
    return spark.sql("DESCRIBE DETAIL " + table.quoted()).select("location").first().getString(0);
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
}
