package io.cdcmedallion.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import io.cdcmedallion.silver.CurrentState;
import io.cdcmedallion.silver.SilverJob;
import io.cdcmedallion.silver.internal.CdcState;
import io.cdcmedallion.silver.internal.HelperColumns;
import io.cdcmedallion.sql.Identifiers;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A probe for issue 15's incremental targets (not part of the harness): what one realistic 1% batch
 * costs each {@code MERGE} a design could make, on the same tables, one statement at a time.
 *
 * <ol>
 *   <li>{@code cookbook} and {@code full-refresh}: the cookbook's silver statement and our full
 *       refresh ({@code SilverJob}) over the history with the batch, for the ratios the targets are
 *       stated in;
 *   <li>{@code peer}: the hand-written peer's one {@code MERGE INTO} silver ({@link
 *       HandWrittenPeer} 's statement, its {@code ROW_NUMBER} over the batch included);
 *   <li>{@code state}: our {@code MERGE INTO} the state table (every data column, tombstones, the
 *       ordering; as shipped);
 *   <li>{@code narrow}: the same {@code MERGE} into a state table of the keys and the ordering only
 *       (sequence, rank, hash, tombstone flag, batch, time applied): the least a separate state
 *       table must write to keep late and out-of-order events right;
 *   <li>{@code narrow-read}: only the read of that narrow state the batch needs (the batch's keys
 *       joined with it, counted), without any write;
 *   <li>{@code silver}: our {@code MERGE INTO} silver from the batch's state rows, as shipped for a
 *       batch's first attempt (since 3ed5408 without a condition on silver's values; the eleventh
 *       round's numbers are of the statement with it).
 * </ol>
 *
 * <p>Every table is restored to its version before the statement ({@code RESTORE}, untimed), so
 * each repetition merges the same batch into the same files. Arguments: the lakehouse folder, the
 * history's rows ({@code 10m}, {@code 100m}; written when the folder has none, and left as
 * written), and the number of repetitions. Run with the bench jar and its classpath ({@code
 * bench/target/classpath.txt}), as BENCHMARKS.md's eleventh round of issue 15 shows.
 */
public final class MergeFloorProbe {
  private MergeFloorProbe() {}

  public static void main(String[] args) {
    Path lakehouse = Paths.get(args[0]);
    long rows = BenchMain.parseSize(args[1]);
    int repetitions = Integer.parseInt(args[2]);
    SparkSession spark =
        Sessions.local(LocalLakehouse.at(lakehouse, PipelineConfig.DEFAULT_CATALOG));
    try {
      for (Timing t : run(spark, rows, repetitions)) {
        System.err.printf(
            "  %d %-12s %8d ms  %d rows%n", t.repetition(), t.name(), t.millis(), t.rows());
      }
    } finally {
      spark.stop();
    }
  }

  /** One statement's time in one repetition, and the rows it wrote (or, for a read, counted). */
  record Timing(int repetition, String name, long millis, long rows) {}

  /**
   * Writes the history of about {@code rows} rows unless the session has one, builds silver with a
   * full refresh, appends one realistic 1% batch and times each statement {@code repetitions}
   * times, restoring the tables after each.
   */
  static List<Timing> run(SparkSession spark, long rows, int repetitions) {
    PipelineConfig config = BenchHistory.pipeline();
    EntityConfig entity = config.entities().get(0);
    TableName history = config.historyTable(entity);
    if (!Tables.exists(spark, history)) {
      BenchHistory.write(spark, config, rows);
    }
    new SilverJob(spark, config).run(entity);
    long lastLsn = spark.table(history.quoted()).agg(max(col("_lsn"))).first().getLong(0);
    long generated = Tables.currentVersion(spark, history).orElseThrow();
    BenchHistory.appendRealisticChanges(spark, config, rows, 1.0, 1);
    try {
      return measure(spark, config, entity, lastLsn, repetitions);
    } finally {
      // The history as generated again, so that the probe can run on the same lakehouse again.
      restore(spark, history, generated);
    }
  }

  private static List<Timing> measure(
      SparkSession spark,
      PipelineConfig config,
      EntityConfig entity,
      long lastLsn,
      int repetitions) {
    TableName history = config.historyTable(entity);
    TableName silver = config.silverTable(entity);
    TableName state = CdcState.tableFor(silver);

    // The batch as a micro-batch would read it, then its latest events as ours computes them.
    TableName raw = probeTable(silver, "probe_batch_raw");
    Tables.replace(spark, spark.table(history.quoted()).filter(col("_lsn").gt(lastLsn)), raw);
    Dataset<Row> batch = spark.table(raw.quoted());
    BronzeHistory batchHistory = BronzeHistory.of(batch, history, entity, config.source());
    HistoryLayout layout = batchHistory.layout();
    int width = batchHistory.sequenceWidth();
    TableName wide = probeTable(silver, "probe_batch_state");
    Tables.replace(
        spark,
        CdcState.withChangeFlag(
            CdcState.rows(layout, width, CurrentState.latestEvents(batchHistory, batch), 1)),
        wide);
    // The change flag a micro-batch adds to a state table from a full refresh, before its first
    // state MERGE (MicroBatchWriter); once, untimed.
    CdcState.addMissingColumns(spark, state, spark.table(wide.quoted()).schema());
    // The narrow state cannot order ties by column values: sequence, rank and hash only.
    List<String> narrowOrdering = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      narrowOrdering.add(CurrentState.sequenceColumn(i));
    }
    narrowOrdering.add(HelperColumns.RANK);
    narrowOrdering.add(HelperColumns.HASH);
    List<String> keys = layout.keys();
    List<String> narrowColumns = new ArrayList<>(keys);
    narrowColumns.addAll(narrowOrdering);
    narrowColumns.addAll(
        List.of(CdcState.DELETED, CdcState.BATCH, CdcState.APPLIED_AT, CdcState.CHANGED));
    Column[] narrowSelect = narrowColumns.stream().map(c -> col(c)).toArray(Column[]::new);
    TableName narrowBatch = probeTable(silver, "probe_batch_narrow");
    Tables.replace(spark, spark.table(wide.quoted()).select(narrowSelect), narrowBatch);
    TableName narrow = probeTable(silver, "probe_state_narrow");
    // Written as the shipped state table is (properties, statistics columns, deletion vectors).
    CdcState.replace(
        spark,
        CdcState.withChangeFlag(spark.table(state.quoted())).select(narrowSelect),
        narrow,
        keys,
        OptionalLong.empty(),
        entity.cdc().fingerprint());

    List<String> ordering = CurrentState.ordering(layout, batch.schema(), width);
    List<String> dataColumns = layout.dataColumns();
    String peerSql =
        HandWrittenPeer.mergeSql(
            silver,
            raw.quoted(),
            BenchHistory.KEY,
            List.of(spark.table(silver.quoted()).columns()));
    String narrowRead =
        String.format(
            "SELECT count(*) FROM %s s LEFT JOIN %s t ON %s WHERE t.%s IS NULL OR %s > %s",
            narrowBatch.quoted(),
            narrow.quoted(),
            keys.stream()
                .map(k -> "s." + Identifiers.quote(k) + " = t." + Identifiers.quote(k))
                .collect(Collectors.joining(" AND ")),
            Identifiers.quote(keys.get(0)),
            struct("s", narrowOrdering),
            struct("t", narrowOrdering));
    Map<String, Statement> statements = new LinkedHashMap<>();
    TableName cookbook = probeTable(silver, "silver_cookbook");
    String cookbookSql =
        "CREATE OR REPLACE TABLE "
            + cookbook.quoted()
            + " USING delta AS "
            + BenchWorker.cookbookSilver(history.quoted());
    statements.put(
        "cookbook",
        new Statement(
            List.of(),
            () -> {
              spark.sql(cookbookSql).collect();
              return Tables.count(spark, cookbook);
            }));
    statements.put(
        "full-refresh",
        new Statement(
            List.of(silver, state), () -> new SilverJob(spark, config).run(entity).currentRows()));
    statements.put(
        "peer",
        new Statement(
            List.of(silver), () -> HandWrittenPeer.affectedRows(spark.sql(peerSql).first())));
    statements.put(
        "state",
        new Statement(
            List.of(state),
            () -> mergeIntoState(spark, wide, state, keys, layout.valueColumns(), ordering)));
    statements.put(
        "narrow",
        new Statement(
            List.of(narrow),
            () -> mergeIntoState(spark, narrowBatch, narrow, keys, List.of(), narrowOrdering)));
    statements.put(
        "narrow-read", new Statement(List.of(), () -> spark.sql(narrowRead).first().getLong(0)));
    statements.put(
        "silver",
        new Statement(
            List.of(silver),
            () ->
                Tables.withTempView(
                    spark.table(wide.quoted()),
                    SOURCE,
                    () -> {
                      long[] changed =
                          CdcState.mergeIntoSilver(
                              spark, SOURCE, silver, keys, dataColumns, batch.schema(), false);
                      return changed[0] + changed[1];
                    })));
    List<String> names = new ArrayList<>(statements.keySet());
    List<Timing> timings = new ArrayList<>();
    for (int r = 1; r <= repetitions; r++) {
      // A different statement goes first in each repetition.
      List<String> order = new ArrayList<>(names);
      Collections.rotate(order, -(r - 1));
      for (String name : order) {
        Statement statement = statements.get(name);
        Map<TableName, Long> before = new LinkedHashMap<>();
        for (TableName table : statement.restores()) {
          before.put(table, Tables.currentVersion(spark, table).orElseThrow());
        }
        long start = System.nanoTime();
        long written = statement.body().get();
        timings.add(new Timing(r, name, (System.nanoTime() - start) / 1_000_000, written));
        before.forEach((table, version) -> restore(spark, table, version));
      }
    }
    return timings;
  }

  private static final String SOURCE = "probe_source";

  /** A table of the probe's, beside silver. */
  static TableName probeTable(TableName silver, String name) {
    return new TableName(silver.catalog(), silver.schema(), name);
  }

  /** A timed statement, and the tables to restore after it (untimed). */
  private record Statement(List<TableName> restores, Supplier<Long> body) {}

  /** {@link CdcState#mergeIntoState} of the rows of {@code source} into {@code target}. */
  private static long mergeIntoState(
      SparkSession spark,
      TableName source,
      TableName target,
      List<String> keys,
      List<String> valueColumns,
      List<String> ordering) {
    Dataset<Row> rows = spark.table(source.quoted());
    return Tables.withTempView(
        rows,
        SOURCE,
        () ->
            CdcState.mergeIntoState(
                spark, target, SOURCE, rows.schema(), keys, valueColumns, ordering));
  }

  private static void restore(SparkSession spark, TableName table, long version) {
    spark.sql("RESTORE TABLE " + table.quoted() + " TO VERSION AS OF " + version).collect();
  }

  private static String struct(String alias, List<String> columns) {
    return "struct("
        + columns.stream()
            .map(c -> alias + "." + Identifiers.quote(c))
            .collect(Collectors.joining(", "))
        + ")";
  }
}
