package io.cdcmedallion.silver;

import static io.cdcmedallion.silver.internal.HelperColumns.HASH;
import static io.cdcmedallion.silver.internal.HelperColumns.LAST_DELETE;
import static io.cdcmedallion.silver.internal.HelperColumns.LAST_UPSERT;
import static io.cdcmedallion.silver.internal.HelperColumns.RANK;
import static io.cdcmedallion.silver.internal.HelperColumns.TIE_COLUMN;
import static io.cdcmedallion.silver.internal.HelperColumns.TYPE;
import static org.apache.spark.sql.functions.bitwise_not;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.silver.internal.HelperColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * SCD type 1 current state from CDC history: for each key, the latest insert, update post-image or
 * delete by sequence; keys whose latest event is a delete are dropped, and so are the metadata
 * columns.
 *
 * <p>One shuffle: {@code RANK() = 1} over each key's sequence first keeps only the events at the
 * key's greatest sequence (planned with a map-side {@code WindowGroupLimit}, as the cookbook's
 * {@code ROW_NUMBER} query is), then a window over those survivors picks the winner and detects
 * ties. With {@code ignore_null_updates} every event takes part (the carried values need them). The
 * winner is the event with the greatest ordering tuple (sequence..., change-type rank, column
 * values..., row hash), so ties resolve the same way on every run and every file layout: a delete
 * beats an update post-image, which beats an insert; after that the greater column values (compared
 * in column order) win. A key is reported as a tie when several different rows share its greatest
 * sequence.
 *
 * <p>The entity's AUTO CDC options come in through {@link BronzeHistory}: tie-break columns extend
 * the sequence, soft deletes the change type ({@link BronzeHistory#changeType}), column lists the
 * value columns. With {@code ignore_null_updates} the same window also keeps, per value column, the
 * greatest event that set it to a non-null value, and the greatest sequences of deletes and of
 * other events; a column's value is its setter's when that comes after the last delete.
 */
public final class CurrentState {
  private static final String SETTER_PREFIX = "__cdcm_n_";
  private static final String SETTER_RANK = "__cdcm_rank";
  private static final String SETTER_TIE = "__cdcm_tb";
  private static final String SETTER_VALUE = "__cdcm_v_";
  private static final String POSITION = "__cdcm_position";
  private static final String HIGH = "__cdcm_high";
  private static final String LOW = "__cdcm_low";
  private static final String WINNER = "__cdcm_winner";

  private CurrentState() {}

  /**
   * The latest event per key: key columns, then {@link HelperColumns#TYPE} (the change type), then
   * every value column, then {@link HelperColumns#TIE_COLUMN}, then the winner's ordering without
   * its values: the sequence ({@link #sequenceColumn}{@code (i)}), {@link HelperColumns#RANK} and
   * {@link HelperColumns#HASH}. Deletes are kept (callers filter them). Helper columns start with
   * {@code __cdcm_} so that they do not clash with data columns such as {@code _type}.
   *
   * <p>{@link #ordering} rebuilds the full ordering tuple from these columns, so incremental silver
   * can compare an event with the one a row already holds exactly as this aggregation would.
   *
   * <p>With {@code ignore_null_updates} the value columns hold the carried values, and {@link
   * #LAST_DELETE}, {@link HelperColumns#LAST_UPSERT} and one {@link #setterColumn} per value column
   * follow.
   */
  public static Dataset<Row> latestEvents(BronzeHistory history, Dataset<Row> validRows) {
    HistoryLayout layout = history.layout();
    StructType schema = validRows.schema();
    int width = history.sequenceWidth();

    Column[] keys = layout.keys().stream().map(k -> col(k)).toArray(Column[]::new);
    boolean carry = history.options().ignoresNullUpdates();
    // Every window below partitions by the key and orders by the sequence alone, so all of them
    // share the one sort the first needs: the survivors are never sorted again.
    List<Column> bySequence = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      bySequence.add(col(sequenceColumn(i)).desc_nulls_last());
    }
    WindowSpec latestSequence = Window.partitionBy(keys).orderBy(bySequence.toArray(new Column[0]));
    Dataset<Row> events;
    if (carry) {
      // Carried values need every event of a key, so nothing is dropped before the window below.
      events = events(history, validRows);
    } else {
      // The row hash is only needed to order and compare the survivors: it is computed after the
      // reduction, on about one row per key instead of every event.
      //
      // Reduce first: only events at their key's greatest sequence can win or tie. RANK() = 1
      // alone over the key is planned with a WindowGroupLimit before and after the shuffle, so
      // each map task already drops every older event and the shuffle moves about one row per key
      // (any other window function over the same window would turn that limit off).
      events =
          withRowHash(
              layout,
              unhashedEvents(history, validRows)
                  .withColumn(POSITION, rank().over(latestSequence))
                  .filter(col(POSITION).equalTo(1))
                  .drop(POSITION));
    }

    // The winner has the greatest ordering tuple of its key (greatest first, nulls lowest, as a
    // struct comparison orders them): the maximum over the whole key, not the first row of a sort
    // by the whole tuple, so no second sort is needed. Rows equal in the whole tuple (the same
    // event delivered twice) are one event; ROW_NUMBER() keeps one of them.
    List<Column> tuple = new ArrayList<>();
    for (String name : ordering(layout, schema, width)) {
      tuple.add(col(name));
    }
    List<Column> highest = new ArrayList<>();
    List<Column> lowest = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      highest.add(col(sequenceColumn(i)));
      lowest.add(col(sequenceColumn(i)));
    }
    highest.add(col(HASH));
    lowest.add(bitwise_not(col(HASH)).as(HASH));
    WindowSpec wholeKey =
        latestSequence.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());

    Column ordered = struct(tuple.toArray(new Column[0]));
    List<Column> ranked = new ArrayList<>();
    ranked.add(col("*"));
    ranked.add(max(ordered).over(wholeKey).as(WINNER));
    // Among rows at the greatest sequence: greatest hash, and greatest inverted hash (that is, the
    // smallest hash). They differ exactly when the rows differ.
    ranked.add(max(struct(highest.toArray(new Column[0]))).over(wholeKey).as(HIGH));
    ranked.add(max(struct(lowest.toArray(new Column[0]))).over(wholeKey).as(LOW));
    if (carry) {
      carriedValueAggregates(layout, schema, width)
          .forEach((name, aggregate) -> ranked.add(aggregate.over(wholeKey).as(name)));
    }
    Dataset<Row> winners =
        events
            .select(ranked.toArray(new Column[0]))
            .filter(ordered.eqNullSafe(col(WINNER)))
            .withColumn(POSITION, row_number().over(latestSequence))
            .filter(col(POSITION).equalTo(1));

    List<Column> output = new ArrayList<>();
    for (String key : layout.keys()) {
      output.add(col(key));
    }
    output.add(col(TYPE));
    for (String column : layout.valueColumns()) {
      output.add(
          carry
              ? when(
                      isAfter(col(setterColumn(column)), col(LAST_DELETE), width),
                      col(SETTER_VALUE + column))
                  .as(column)
              : col(column));
    }
    output.add(col(HIGH + "." + HASH).notEqual(bitwise_not(col(LOW + "." + HASH))).as(TIE_COLUMN));
    for (int i = 0; i < width; i++) {
      output.add(col(sequenceColumn(i)));
    }
    output.add(col(RANK));
    output.add(col(HASH));
    if (carry) {
      output.add(col(LAST_DELETE));
      output.add(col(LAST_UPSERT));
      for (String column : layout.valueColumns()) {
        output.add(col(setterColumn(column)));
      }
    }
    return winners.select(output.toArray(new Column[0]));
  }

  /**
   * Every insert, update post-image and delete of {@code validRows}, one row per event: key
   * columns, {@link HelperColumns#TYPE}, every value column, the sequence ({@link
   * #sequenceColumn}{@code (i)}), {@link HelperColumns#RANK} and {@link HelperColumns#HASH} -- the
   * columns {@link #ordering} names, computed as {@link #latestEvents} computes them. Sorting a
   * key's events by that ordering puts them in the order in which the tie rule ranks them, so SCD
   * type 2 versions agree with the current state.
   */
  public static Dataset<Row> events(BronzeHistory history, Dataset<Row> validRows) {
    return withRowHash(history.layout(), unhashedEvents(history, validRows));
  }

  /** {@link #events} without {@link HelperColumns#HASH}, which {@link #withRowHash} adds. */
  private static Dataset<Row> unhashedEvents(BronzeHistory history, Dataset<Row> validRows) {
    HistoryLayout layout = history.layout();
    Column changeType = history.changeType();
    List<Column> columns = new ArrayList<>();
    for (String key : layout.keys()) {
      columns.add(col(key));
    }
    columns.add(changeType.as(TYPE));
    for (String column : layout.valueColumns()) {
      columns.add(col(column));
    }
    for (int i = 0; i < history.sequenceWidth(); i++) {
      columns.add(history.sequence(i).as(sequenceColumn(i)));
    }
    columns.add(changeTypeRank(changeType).as(RANK));
    return validRows
        .filter(
            changeType.isin(
                ChangeType.INSERT.value(),
                ChangeType.UPDATE_POSTIMAGE.value(),
                ChangeType.DELETE.value()))
        .select(columns.toArray(new Column[0]));
  }

  /** Appends {@link HelperColumns#HASH}, the tie rule's last resort, to unhashed events. */
  private static Dataset<Row> withRowHash(HistoryLayout layout, Dataset<Row> events) {
    return events.withColumn(HASH, rowHash(layout, events.schema(), col(TYPE)));
  }

  /** The tie rule's last resort: a hash of the change type and every value column. */
  private static Column rowHash(HistoryLayout layout, StructType schema, Column changeType) {
    // xxhash64 skips null inputs, so (null, 5) and (5, null) would hash alike and a tie between
    // them would go unreported; hashing which columns are null as well tells them apart.
    List<Column> hashed = new ArrayList<>();
    hashed.add(changeType);
    for (String column : layout.valueColumns()) {
      // xxhash64 rejects maps and variants (e.g. Postgres jsonb); their JSON text hashes instead.
      hashed.add(isOrderable(schema.apply(column).dataType()) ? col(column) : to_json(col(column)));
    }
    for (String column : layout.valueColumns()) {
      hashed.add(col(column).isNull());
    }
    return xxhash64(hashed.toArray(new Column[0]));
  }

  /**
   * {@code ignore_null_updates}: per key the greatest sequence of its deletes and of its other
   * events, and per value column the greatest event setting it to a non-null value (its ordering in
   * {@link #setterColumn}, its value in {@code __cdcm_v_<column>}). All are maxima, so merging
   * batches component-wise gives what one aggregation over all of them gives.
   */
  private static Map<String, Column> carriedValueAggregates(
      HistoryLayout layout, StructType schema, int sequenceWidth) {
    Column isDelete = isDelete();
    List<Column> sequence = new ArrayList<>();
    for (int i = 0; i < sequenceWidth; i++) {
      sequence.add(col(sequenceColumn(i)));
    }
    Column sequenceStruct = struct(sequence.toArray(new Column[0]));
    Map<String, Column> aggregates = new LinkedHashMap<>();
    aggregates.put(LAST_DELETE, max(when(isDelete, sequenceStruct)));
    aggregates.put(LAST_UPSERT, max(when(not(isDelete), sequenceStruct)));
    for (String column : layout.valueColumns()) {
      // Between setters at one sequence: update post-image over insert, then the greater value
      // (the row hash for values Spark cannot order).
      List<Column> setter = new ArrayList<>(sequence);
      setter.add(col(RANK).as(SETTER_RANK));
      setter.add(
          (isOrderable(schema.apply(column).dataType()) ? col(column) : col(HASH)).as(SETTER_TIE));
      Column order =
          when(not(isDelete).and(col(column).isNotNull()), struct(setter.toArray(new Column[0])));
      aggregates.put(setterColumn(column), max(order));
      aggregates.put(SETTER_VALUE + column, max_by(col(column), order));
    }
    return aggregates;
  }

  /**
   * With {@code ignore_null_updates}: the column of {@link #latestEvents} (and of the state table)
   * holding the ordering of the event that last set {@code column} to a non-null value.
   */
  public static String setterColumn(String column) {
    return SETTER_PREFIX + column;
  }

  /**
   * True when {@code setter} (a {@link #setterColumn} value) comes after {@code lastDelete} (a
   * {@link HelperColumns#LAST_DELETE} value): its sequence is greater, or there is no delete. A
   * setter sharing its sequence with a delete comes before it, as the delete wins that tie.
   */
  public static Column isAfter(Column setter, Column lastDelete, int sequenceWidth) {
    List<Column> prefix = new ArrayList<>();
    for (int i = 0; i < sequenceWidth; i++) {
      prefix.add(setter.getField(sequenceColumn(i)).as(sequenceColumn(i)));
    }
    return setter
        .isNotNull()
        .and(lastDelete.isNull().or(struct(prefix.toArray(new Column[0])).gt(lastDelete)));
  }

  /**
   * The columns {@link #latestEvents} adds when {@code ignore_null_updates} is on, in order; empty
   * when {@code latestEvents} has none of them.
   */
  public static List<String> carriedColumns(HistoryLayout layout, StructType latestEvents) {
    List<String> names = new ArrayList<>();
    if (List.of(latestEvents.fieldNames()).contains(LAST_UPSERT)) {
      names.add(LAST_DELETE);
      names.add(LAST_UPSERT);
      for (String column : layout.valueColumns()) {
        names.add(setterColumn(column));
      }
    }
    return names;
  }

  /** Name of the {@code i}-th sequence column in {@link #latestEvents} (0 is the LSN). */
  public static String sequenceColumn(int i) {
    return "__cdcm_s" + i;
  }

  /**
   * The names, in order, of the columns whose tuple the tie rule maximises: the sequence columns,
   * {@link HelperColumns#RANK}, the orderable value columns, {@link HelperColumns#HASH}. Rows
   * holding these columns (the output of {@link #latestEvents}, or a table that stores it) compare
   * like the aggregation does.
   */
  public static List<String> ordering(HistoryLayout layout, StructType schema, int sequenceWidth) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < sequenceWidth; i++) {
      names.add(sequenceColumn(i));
    }
    names.add(RANK);
    for (String column : layout.valueColumns()) {
      if (isOrderable(schema.apply(column).dataType())) {
        names.add(column);
      }
    }
    names.add(HASH);
    return names;
  }

  /**
   * The silver rows: latest events that are not deletes, with the data columns in the history
   * table's order.
   */
  public static Dataset<Row> currentRows(HistoryLayout layout, Dataset<Row> latestEvents) {
    Column[] columns = layout.dataColumns().stream().map(c -> col(c)).toArray(Column[]::new);
    return latestEvents.filter(not(isDelete())).select(columns);
  }

  /**
   * True for rows of {@link #latestEvents} (or of {@link #events}) whose {@link HelperColumns#TYPE}
   * is a delete: the keys silver does not hold.
   */
  public static Column isDelete() {
    return col(TYPE).equalTo(lit(ChangeType.DELETE.value()));
  }

  private static Column changeTypeRank(Column changeType) {
    return when(changeType.equalTo(ChangeType.DELETE.value()), 3)
        .when(changeType.equalTo(ChangeType.UPDATE_POSTIMAGE.value()), 2)
        .otherwise(1);
  }

  /**
   * True when Spark can compare values of {@code type} (no maps or variants inside), so the tie
   * rule orders by them.
   */
  public static boolean isOrderable(DataType type) {
    return HistoryLayout.isOrderable(type);
  }
}
