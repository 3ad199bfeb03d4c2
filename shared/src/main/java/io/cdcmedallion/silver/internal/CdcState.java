package io.cdcmedallion.silver.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.lakehouse.ObservedMetrics;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.CurrentState;
import io.cdcmedallion.sql.Identifiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The state table behind incremental silver, {@code <silver>__cdc_state}: per key the latest event
 * applied so far (deletes included, as tombstones), its ordering, and the micro-batch that wrote
 * it. Silver is the projection of its non-deleted rows. All statements are SQL text over quoted
 * identifiers, so they run on Spark Connect too.
 *
 * <p>With {@code ignore_null_updates} a key's row instead holds the carried values, the greatest
 * delete and upsert sequences and each value column's setter ({@link CurrentState#carriedColumns}),
 * merged component-wise by {@link #mergeCarryingIntoState}; its sequence, rank and hash columns
 * then keep the values of the first event that created the row.
 *
 * <p>Table properties record where the stream starts: {@value #GENERATION} names the checkpoint
 * folder (a full refresh starts a new one) and {@value #STARTING_VERSION} the first bronze version
 * that folder's stream reads.
 */
public final class CdcState {
  public static final String DELETED = "__cdcm_deleted";
  public static final String BATCH = "__cdcm_batch";
  public static final String APPLIED_AT = "__cdcm_applied_at";

  /**
   * True on a state row when the write that set it changed silver: the key was absent or deleted
   * before, a value differs from the stored one, or a tombstone replaced a live row. Written by the
   * {@code MERGE}s of micro-batches ({@link #withChangeFlag}); a full refresh's rows, and those of
   * a state table from before the flag, have none, which counts as changed.
   */
  public static final String CHANGED = "__cdcm_changed";

  public static final String GENERATION = "cdcm.generation";
  public static final String STARTING_VERSION = "cdcm.startingVersion";

  /**
   * Table property holding the entity's AUTO CDC options the state was built with ({@link
   * io.cdcmedallion.config.CdcOptions#fingerprint}); absent means the defaults.
   */
  public static final String OPTIONS = "cdcm.cdcOptions";

  /**
   * The Delta table property naming the columns Delta keeps file statistics on; without it, the
   * first 32 columns ({@code delta.dataSkippingNumIndexedCols}).
   */
  public static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  /** Batch id of rows written by a full refresh; stream batch ids start at 0. */
  public static final long FULL_REFRESH_BATCH = -1;

  private CdcState() {}

  /** The state table of a silver table. */
  public static TableName tableFor(TableName silver) {
    return new TableName(silver.catalog(), silver.schema(), silver.table() + "__cdc_state");
  }

  /**
   * State rows from {@link CurrentState#latestEvents} output: data columns, ordering, tombstone
   * flag, tie flag ({@link HelperColumns#TIE_COLUMN}: the write that set the row found a tie at the
   * key's greatest sequence; a full refresh counts its ties from it), batch id, time applied, and
   * with {@code ignore_null_updates} the last delete, the last upsert and each value column's
   * setter ({@link CurrentState#carriedColumns}).
   */
  public static Dataset<Row> rows(
      HistoryLayout layout, int sequenceWidth, Dataset<Row> latest, long batchId) {
    List<Column> columns = new ArrayList<>();
    for (String c : layout.dataColumns()) {
      columns.add(col(c));
    }
    for (int i = 0; i < sequenceWidth; i++) {
      columns.add(col(CurrentState.sequenceColumn(i)));
    }
    columns.add(col(HelperColumns.RANK));
    columns.add(col(HelperColumns.HASH));
    columns.add(CurrentState.isDelete().as(DELETED));
    columns.add(col(HelperColumns.TIE_COLUMN));
    columns.add(lit(batchId).as(BATCH));
    columns.add(current_timestamp().as(APPLIED_AT));
    for (String c : CurrentState.carriedColumns(layout, latest.schema())) {
      columns.add(col(c));
    }
    return latest.select(columns.toArray(new Column[0]));
  }

  /**
   * {@link #rows} of a micro-batch, with the {@value #CHANGED} flag a row inserted into the state
   * keeps (a key the state lacks is one silver lacks); the state {@code MERGE}s compute it for the
   * rows they update.
   */
  public static Dataset<Row> withChangeFlag(Dataset<Row> rows) {
    return rows.withColumn(CHANGED, lit(true));
  }

  /**
   * Replaces the state table with {@code rows} in one commit that also records a new checkpoint
   * generation, the first bronze version its stream should read, and the columns to keep statistics
   * on ({@link #statisticsColumns}).
   */
  public static String replace(
      SparkSession spark,
      Dataset<Row> rows,
      TableName state,
      List<String> keys,
      OptionalLong startingVersion,
      String cdcOptions) {
    String generation = UUID.randomUUID().toString();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(GENERATION, generation);
    properties.put(OPTIONS, cdcOptions);
    properties.put(STATS_COLUMNS, statisticsColumns(rows.schema(), keys));
    startingVersion.ifPresent(v -> properties.put(STARTING_VERSION, Long.toString(v)));
    Tables.recreateMergeTarget(spark, rows, state, properties);
    return generation;
  }

  /**
   * Replaces silver with the state's non-deleted rows ({@code dataColumns}, in the history's order,
   * those the state holds), which is what silver holds by definition, in a commit whose user
   * metadata names the state's {@code generation} ({@link #holdsGeneration}). A full refresh writes
   * the state first and silver from it, so the latest event per key is computed once and nothing
   * has to be cached in between.
   *
   * <p>The state's tie count and silver's row count are observed on this write, which reads every
   * state row anyway. Observed on silver's write ({@code saveAsTable}), not the state's ({@code
   * writeTo … createOrReplace}): a Spark Connect server returns observed metrics for the first, but
   * its client waited for those of the second without end (the CI run of d71ea84).
   */
  public static Counts replaceSilver(
      SparkSession spark,
      List<String> dataColumns,
      TableName state,
      TableName silver,
      String generation) {
    Dataset<Row> rows = spark.table(state.quoted());
    List<String> held = List.of(rows.columns());
    Column[] columns =
        dataColumns.stream().filter(held::contains).map(c -> col(c)).toArray(Column[]::new);
    // A state table written before the tie flag was kept has none to count.
    Column tie =
        held.contains(HelperColumns.TIE_COLUMN) ? col(HelperColumns.TIE_COLUMN) : lit(false);
    Column live = col(DELETED).equalTo(lit(false));
    Column tieCount = count_if(tie).as("ties");
    Column currentCount = count_if(live).as("current");
    Observation observation = new Observation("silver_from_" + state.table());
    Dataset<Row> current =
        rows.observe(observation, tieCount, currentCount).filter(live).select(columns);
    Tables.replaceMergeTarget(spark, current, silver, silverWrittenFrom(generation));
    Map<String, Object> observed = ObservedMetrics.await(observation, ObservedMetrics.WAIT);
    if (observed.get("ties") == null || observed.get("current") == null) {
      // A write path that does not report observed metrics: count on the state (two columns).
      Row row = rows.agg(currentCount, tieCount).first();
      return new Counts(row.getLong(0), row.getLong(1));
    }
    return new Counts(
        ((Number) observed.get("current")).longValue(),
        ((Number) observed.get("ties")).longValue());
  }

  /**
   * What {@link #replaceSilver} observed on the state's rows: silver's rows, and the keys whose
   * latest event was tied.
   */
  public record Counts(long current, long ties) {}

  /**
   * False when the state holds a full refresh (of {@code generation}) that silver has not been
   * replaced from since: the full refresh stopped between its two writes. The state's latest commit
   * tells whether anything ran on it after the full refresh (a micro-batch runs only after this
   * check passed); if nothing did, silver's last few commits must include the one {@link
   * #replaceSilver} wrote for this generation.
   */
  public static boolean holdsGeneration(
      SparkSession spark, TableName state, TableName silver, String generation) {
    String operation =
        spark.sql("DESCRIBE HISTORY " + state.quoted() + " LIMIT 1").first().getAs("operation");
    if (!operation.endsWith("TABLE AS SELECT")) {
      return true;
    }
    String written = silverWrittenFrom(generation);
    return spark
        .sql("DESCRIBE HISTORY " + silver.quoted() + " LIMIT " + SILVER_COMMITS_SEARCHED)
        .collectAsList()
        .stream()
        .anyMatch(commit -> written.equals(commit.getAs(Tables.USER_METADATA)));
  }

  /**
   * How many of silver's latest commits {@link #holdsGeneration} looks through: the replace, a
   * first-time deletion-vector commit after it, and a few of a user's own (an {@code OPTIMIZE},
   * say). Past them silver is replaced from the state again, which is right, only slower.
   */
  private static final int SILVER_COMMITS_SEARCHED = 10;

  private static String silverWrittenFrom(String generation) {
    return "cdc-medallion: silver from state generation " + generation;
  }

  /**
   * The columns of a state table Delta keeps file statistics on ({@value #STATS_COLUMNS}): the
   * batch id, by which the {@code MERGE} into silver reads a batch's rows ({@link
   * #mergeIntoSilver}); the time applied, by which the tombstone purge looks for old rows ({@link
   * #purgeTombstones}); and the keys whose type has statistics. By default Delta keeps them for the
   * first 32 columns only, and these helper columns come after every data column: a table of more
   * than about 25 columns would have its whole state read by every batch. Statistics on a few
   * columns also make each write of a wide state table cheaper.
   */
  static String statisticsColumns(StructType schema, List<String> keys) {
    List<String> columns = new ArrayList<>();
    for (var field : schema.fields()) {
      if (keys.contains(field.name()) && hasStatistics(field.dataType())) {
        columns.add(q(field.name()));
      }
    }
    columns.add(q(BATCH));
    columns.add(q(APPLIED_AT));
    return String.join(",", columns);
  }

  /**
   * The types Delta keeps minimum and maximum values of (and accepts in {@value #STATS_COLUMNS}).
   */
  private static boolean hasStatistics(DataType type) {
    return type instanceof NumericType
        || type instanceof StringType
        || type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType;
  }

  /**
   * Gives a state table built before {@value #STATS_COLUMNS} was set the same property (one
   * metadata-only commit, once); files written from then on carry the statistics.
   */
  static void keepStatistics(
      SparkSession spark, TableName state, List<String> keys, Map<String, String> properties) {
    if (properties.containsKey(STATS_COLUMNS)) {
      return;
    }
    String columns = statisticsColumns(spark.table(state.quoted()).schema(), keys);
    spark.sql(
        String.format(
            "ALTER TABLE %s SET TBLPROPERTIES ('%s' = '%s')",
            state.quoted(), STATS_COLUMNS, columns));
  }

  /**
   * Adds to the state table the columns of {@code rows} it lacks (bronze gained a column), null in
   * the rows it has.
   */
  public static void addMissingColumns(SparkSession spark, TableName state, StructType rows) {
    List<String> existing = List.of(spark.table(state.quoted()).schema().fieldNames());
    List<String> added = new ArrayList<>();
    for (var field : rows.fields()) {
      if (!existing.contains(field.name())) {
        added.add(q(field.name()) + " " + field.dataType().sql());
      }
    }
    if (!added.isEmpty()) {
      spark.sql(
          "ALTER TABLE " + state.quoted() + " ADD COLUMNS (" + String.join(", ", added) + ")");
    }
  }

  /**
   * Removes tombstones applied longer ago than {@code retentionSeconds}, except batch {@code b}.
   * Looks first: usually none is that old, and a query whose files Delta skips by their {@code
   * applied_at} statistics costs a fraction of a {@code DELETE} that finds nothing.
   */
  public static void purgeTombstones(
      SparkSession spark, TableName state, long retentionSeconds, long keepBatch) {
    String expired =
        String.format(
            "%s AND %s <> %d AND %s < current_timestamp() - make_dt_interval(0, 0, 0, %d)",
            q(DELETED), q(BATCH), keepBatch, q(APPLIED_AT), retentionSeconds);
    if (spark.table(state.quoted()).where(expired).isEmpty()) {
      return;
    }
    spark.sql("DELETE FROM " + state.quoted() + " WHERE " + expired);
  }

  /**
   * {@code MERGE INTO state USING source}: a key's row changes only when the source event's
   * ordering tuple is greater than the stored one, so replayed and older events change nothing. A
   * row it updates records in {@value #CHANGED} whether silver changes with it ({@link
   * #changedFlag}). Returns the number of state rows written (inserted or updated).
   *
   * @param source the view's schema: {@link #withChangeFlag} rows
   * @param valueColumns the data columns silver holds besides the keys
   */
  public static long mergeIntoState(
      SparkSession spark,
      TableName state,
      String sourceView,
      StructType source,
      List<String> keys,
      List<String> valueColumns,
      List<String> order) {
    List<String> sets = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (String c : source.fieldNames()) {
      if (!c.equals(CHANGED)) {
        sets.add("t." + q(c) + " = s." + q(c));
      }
    }
    for (String c : valueColumns) {
      values.put(c, "s." + q(c));
    }
    sets.add("t." + q(CHANGED) + " = " + changedFlag("s." + q(DELETED), values, source));
    String sql =
        String.format(
            "MERGE INTO %s t USING %s s ON %s WHEN MATCHED AND %s > %s THEN UPDATE SET %s WHEN NOT MATCHED THEN INSERT *",
            state.quoted(),
            Identifiers.quote(sourceView),
            keyMatch(keys),
            tuple("s", order),
            tuple("t", order),
            String.join(", ", sets));
    return affectedRows(spark.sql(sql));
  }

  /**
   * SQL of the {@value #CHANGED} flag of a state row a {@code MERGE} updates, from the stored row
   * {@code t} and the new tombstone flag and values: a tombstone changes silver when the stored row
   * was live, other rows when the stored one was a tombstone or a value {@link #differs}.
   */
  private static String changedFlag(String deleted, Map<String, String> values, StructType schema) {
    String differs = values.isEmpty() ? "false" : differs(values, schema);
    return String.format(
        "CASE WHEN %s THEN NOT t.%s ELSE (t.%s OR %s) END",
        deleted, q(DELETED), q(DELETED), differs);
  }

  /**
   * SQL that is true when one of the new {@code values} (column to expression) differs from the
   * stored column of {@code t}: null-safe, and types without an order compared as JSON, as the tie
   * rule compares them.
   */
  private static String differs(Map<String, String> values, StructType schema) {
    List<String> differs = new ArrayList<>();
    values.forEach(
        (c, value) -> {
          DataType type = schema.apply(c).dataType();
          differs.add(
              "NOT (" + comparable(value, type) + " <=> " + comparable("t." + q(c), type) + ")");
        });
    return String.join(" OR ", differs);
  }

  /**
   * {@code MERGE INTO state USING source} with {@code ignore_null_updates}: every stored maximum
   * (last delete, last upsert, each column's setter) becomes the greater of the stored and the
   * source one, and a value column holds its setter's value while the setter comes after the last
   * delete, null otherwise. Maxima do not depend on the order batches arrive in, and a replayed
   * batch raises none of them, so it changes nothing. Returns the number of state rows written.
   */
  public static long mergeCarryingIntoState(
      SparkSession spark,
      TableName state,
      String sourceView,
      StructType source,
      List<String> keys,
      List<String> valueColumns,
      int sequenceWidth) {
    String lastDelete = greatest(HelperColumns.LAST_DELETE);
    String lastUpsert = greatest(HelperColumns.LAST_UPSERT);
    List<String> raised = new ArrayList<>();
    raised.add(greater(HelperColumns.LAST_DELETE));
    raised.add(greater(HelperColumns.LAST_UPSERT));
    List<String> sets = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (String c : valueColumns) {
      String setter = CurrentState.setterColumn(c);
      raised.add(greater(setter));
      String value =
          String.format("CASE WHEN %s THEN s.%s ELSE t.%s END", greater(setter), q(c), q(c));
      String carried =
          String.format(
              "CASE WHEN %s THEN %s END",
              isAfter(greatest(setter), lastDelete, sequenceWidth), value);
      values.put(c, carried);
      sets.add("t." + q(c) + " = " + carried);
      sets.add("t." + q(setter) + " = " + greatest(setter));
    }
    sets.add("t." + q(HelperColumns.LAST_DELETE) + " = " + lastDelete);
    sets.add("t." + q(HelperColumns.LAST_UPSERT) + " = " + lastUpsert);
    // A key exists when its last upsert comes after its last delete (a delete wins a tie).
    String deleted =
        String.format(
            "(%s IS NULL OR (%s IS NOT NULL AND %s <= %s))",
            lastUpsert, lastDelete, lastUpsert, lastDelete);
    sets.add("t." + q(DELETED) + " = " + deleted);
    sets.add("t." + q(CHANGED) + " = " + changedFlag(deleted, values, source));
    sets.add("t." + q(BATCH) + " = s." + q(BATCH));
    sets.add("t." + q(APPLIED_AT) + " = s." + q(APPLIED_AT));
    String sql =
        String.format(
            "MERGE INTO %s t USING %s s ON %s WHEN MATCHED AND (%s) THEN UPDATE SET %s WHEN NOT MATCHED THEN INSERT *",
            state.quoted(),
            Identifiers.quote(sourceView),
            keyMatch(keys),
            String.join(" OR ", raised),
            String.join(", ", sets));
    return affectedRows(spark.sql(sql));
  }

  /** The greater of the stored and the source value; nulls count as lowest. */
  private static String greatest(String column) {
    return "greatest(t." + q(column) + ", s." + q(column) + ")";
  }

  /** True when the source value is greater than the stored one; nulls count as lowest. */
  private static String greater(String column) {
    String s = "s." + q(column);
    String t = "t." + q(column);
    return "(" + s + " IS NOT NULL AND (" + t + " IS NULL OR " + s + " > " + t + "))";
  }

  /** SQL of {@link CurrentState#isAfter}. */
  private static String isAfter(String setter, String lastDelete, int sequenceWidth) {
    List<String> prefix = new ArrayList<>();
    for (int i = 0; i < sequenceWidth; i++) {
      String field = CurrentState.sequenceColumn(i);
      prefix.add("'" + field + "', " + setter + "." + q(field));
    }
    return String.format(
        "(%s IS NOT NULL AND (%s IS NULL OR named_struct(%s) > %s))",
        setter, lastDelete, String.join(", ", prefix), lastDelete);
  }

  /**
   * The state rows stamped with batch {@code batchId}, as silver's data columns, the tombstone flag
   * and {@value #CHANGED} (none recorded counts as changed): what {@link #mergeIntoSilver} applies.
   * Delta finds them by the statistics on {@value #BATCH} ({@link #statisticsColumns}).
   */
  static Dataset<Row> writtenBy(
      SparkSession spark, TableName state, List<String> dataColumns, long batchId) {
    String projection =
        dataColumns.stream().map(CdcState::q).collect(Collectors.joining(", "))
            + ", "
            + q(DELETED)
            + ", coalesce("
            + q(CHANGED)
            + ", true) AS "
            + q(CHANGED);
    return spark.sql(
        String.format(
            "SELECT %s FROM %s WHERE %s = %d", projection, state.quoted(), q(BATCH), batchId));
  }

  /**
   * {@code MERGE INTO silver} state rows of one batch that change it (the view {@code writtenView}
   * over {@link #writtenBy}): tombstones delete, other rows insert or update.
   *
   * <p>Rows that the caller's state {@code MERGE} wrote are ones silver has not seen, and their
   * {@value #CHANGED} flag says they differ from it: they update unconditionally, so Delta reads
   * silver's keys to find the matches and not every value column of the files it looks at (a value
   * comparison here cost 30% of the statement at 100M history rows, BENCHMARKS.md, eleventh round).
   * When the view also holds rows an earlier attempt at the batch wrote ({@code compareValues}: a
   * replay after a crash, or a checkpoint started anew that reuses batch ids), silver may have
   * taken them already, and rows update only where a value differs, so a replay changes nothing.
   *
   * @return inserted or updated rows, then deleted rows
   */
  public static long[] mergeIntoSilver(
      SparkSession spark,
      String writtenView,
      TableName silver,
      List<String> keys,
      List<String> dataColumns,
      StructType schema,
      boolean compareValues) {
    List<String> values = dataColumns.stream().filter(c -> !keys.contains(c)).toList();
    String update =
        values.stream().map(c -> "t." + q(c) + " = s." + q(c)).collect(Collectors.joining(", "));
    String insertColumns = dataColumns.stream().map(CdcState::q).collect(Collectors.joining(", "));
    String insertValues =
        dataColumns.stream().map(c -> "s." + q(c)).collect(Collectors.joining(", "));
    StringBuilder sql = new StringBuilder();
    sql.append(
        String.format(
            "MERGE INTO %s t USING %s s ON %s WHEN MATCHED AND s.%s THEN DELETE",
            silver.quoted(), Identifiers.quote(writtenView), keyMatch(keys), q(DELETED)));
    if (!values.isEmpty()) {
      sql.append(" WHEN MATCHED");
      if (compareValues) {
        Map<String, String> source = new LinkedHashMap<>();
        values.forEach(c -> source.put(c, "s." + q(c)));
        sql.append(" AND (").append(differs(source, schema)).append(")");
      }
      sql.append(" THEN UPDATE SET ").append(update);
    }
    sql.append(
        String.format(
            " WHEN NOT MATCHED AND NOT s.%s THEN INSERT (%s) VALUES (%s)",
            q(DELETED), insertColumns, insertValues));
    Row result = spark.sql(sql.toString()).first();
    return new long[] {
      longAt(result, "num_updated_rows") + longAt(result, "num_inserted_rows"),
      longAt(result, "num_deleted_rows")
    };
  }

  private static String comparable(String expression, DataType type) {
    return CurrentState.isOrderable(type) ? expression : "to_json(" + expression + ")";
  }

  private static String keyMatch(List<String> keys) {
    return keys.stream()
        .map(k -> "t." + q(k) + " = s." + q(k))
        .collect(Collectors.joining(" AND "));
  }

  private static String tuple(String alias, List<String> columns) {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      fields.add("'f" + i + "', " + alias + "." + q(columns.get(i)));
    }
    return "named_struct(" + String.join(", ", fields) + ")";
  }

  private static long affectedRows(Dataset<Row> mergeResult) {
    Row row = mergeResult.first();
    return longAt(row, "num_updated_rows") + longAt(row, "num_inserted_rows");
  }

  private static long longAt(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? 0 : ((Number) row.get(i)).longValue();
  }

  private static String q(String identifier) {
    return Identifiers.quote(identifier);
  }
}
