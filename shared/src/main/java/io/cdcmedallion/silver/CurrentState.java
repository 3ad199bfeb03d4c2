package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.bitwise_not;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.HistoryLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * SCD type 1 current state from CDC history: for each key, the latest insert, update post-image or
 * delete by sequence; keys whose latest event is a delete are dropped, and so are the metadata
 * columns.
 *
 * <p>One aggregation per key, no window sort. The winner is the event with the greatest ordering
 * tuple (sequence..., change-type rank, column values..., row hash), so ties resolve the same way
 * on every run and every file layout: a delete beats an update post-image, which beats an insert;
 * after that the greater column values (compared in column order) win. A key is reported as a tie
 * when several different rows share its greatest sequence.
 *
 * <p>The entity's AUTO CDC options come in through {@link BronzeHistory}: tie-break columns extend
 * the sequence, soft deletes the change type ({@link BronzeHistory#changeType}), column lists the
 * value columns. With {@code ignore_null_updates} the same aggregation also keeps, per value
 * column, the greatest event that set it to a non-null value, and the greatest sequences of deletes
 * and of other events; a column's value is its setter's when that comes after the last delete.
 */
public final class CurrentState {
  /** Column of {@link #latestEvents} that is true for keys whose latest sequence holds a tie. */
  public static final String TIE_COLUMN = "__cdcm_tie";

  /** Column of {@link #latestEvents} holding the change type of the winning event. */
  public static final String TYPE = "__cdcm_type";

  /** Column of {@link #latestEvents} holding the change-type rank of the tie rule. */
  public static final String RANK = "__cdcm_rank";

  /** Column of {@link #latestEvents} holding the row hash, the tie rule's last resort. */
  public static final String HASH = "__cdcm_h";

  /**
   * With {@code ignore_null_updates}: column of {@link #latestEvents} holding the greatest sequence
   * of the key's deletes (null when none).
   */
  public static final String LAST_DELETE = "__cdcm_del";

  /**
   * With {@code ignore_null_updates}: column of {@link #latestEvents} holding the greatest sequence
   * of the key's inserts and update post-images (null when none).
   */
  public static final String LAST_UPSERT = "__cdcm_last";

  private static final String SETTER_PREFIX = "__cdcm_n_";
  private static final String SETTER_RANK = "__cdcm_rank";
  private static final String SETTER_TIE = "__cdcm_tb";
  private static final String SETTER_VALUE = "__cdcm_v_";
  private static final String WINNER = "__cdcm_winner";
  private static final String HIGH = "__cdcm_high";
  private static final String LOW = "__cdcm_low";

  private CurrentState() {}

  /**
   * The latest event per key: key columns, then {@link #TYPE} (the change type), then every value
   * column, then {@link #TIE_COLUMN}, then the winner's ordering without its values: the sequence
   * ({@link #sequenceColumn}{@code (i)}), {@link #RANK} and {@link #HASH}. Deletes are kept
   * (callers filter them). Helper columns start with {@code __cdcm_} so that they do not clash with
   * data columns such as {@code _type}.
   *
   * <p>{@link #ordering} rebuilds the full ordering tuple from these columns, so incremental silver
   * can compare an event with the one a row already holds exactly as this aggregation would.
   *
   * <p>With {@code ignore_null_updates} the value columns hold the carried values, and {@link
   * #LAST_DELETE}, {@link #LAST_UPSERT} and one {@link #setterColumn} per value column follow.
   */
  public static Dataset<Row> latestEvents(BronzeHistory history, Dataset<Row> validRows) {
    HistoryLayout layout = history.layout();
    StructType schema = validRows.schema();
    Column changeType = history.changeType();
    Dataset<Row> events =
        validRows.filter(
            changeType.isin(
                ChangeType.INSERT.value(),
                ChangeType.UPDATE_POSTIMAGE.value(),
                ChangeType.DELETE.value()));

    List<Column> content = new ArrayList<>();
    content.add(changeType.as(TYPE));
    for (String column : layout.valueColumns()) {
      content.add(col(column));
    }
    for (int i = 0; i < history.sequenceWidth(); i++) {
      content.add(history.sequence(i).as(sequenceColumn(i)));
    }
    content.add(changeTypeRank(changeType).as(RANK));
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
    Column hash = xxhash64(hashed.toArray(new Column[0]));
    content.add(hash.as(HASH));

    List<Column> ordering = new ArrayList<>();
    List<Column> sequence = new ArrayList<>();
    for (int i = 0; i < history.sequenceWidth(); i++) {
      sequence.add(history.sequence(i).as(sequenceColumn(i)));
    }
    ordering.addAll(sequence);
    ordering.add(changeTypeRank(changeType).as(RANK));
    for (String column : layout.valueColumns()) {
      if (isOrderable(schema.apply(column).dataType())) {
        ordering.add(col(column));
      }
    }
    ordering.add(hash.as(HASH));

    List<Column> highest = new ArrayList<>(sequence);
    highest.add(hash.as(HASH));
    List<Column> lowest = new ArrayList<>(sequence);
    lowest.add(bitwise_not(hash).as(HASH));

    Column[] keys = layout.keys().stream().map(k -> col(k)).toArray(Column[]::new);
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(
        max_by(struct(content.toArray(new Column[0])), struct(ordering.toArray(new Column[0])))
            .as(WINNER));
    // Among rows at the greatest sequence: greatest hash, and greatest inverted hash (that is, the
    // smallest hash). They differ exactly when the rows differ.
    aggregates.add(max(struct(highest.toArray(new Column[0]))).as(HIGH));
    aggregates.add(max(struct(lowest.toArray(new Column[0]))).as(LOW));
    boolean carry = history.options().ignoresNullUpdates();
    if (carry) {
      aggregates.addAll(carriedValueAggregates(history, schema, changeType, hash));
    }
    Dataset<Row> perKey =
        events
            .groupBy(keys)
            .agg(
                aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));

    List<Column> output = new ArrayList<>();
    for (String key : layout.keys()) {
      output.add(col(key));
    }
    output.add(col(WINNER + "." + TYPE).as(TYPE));
    for (String column : layout.valueColumns()) {
      output.add(
          carry
              ? when(
                      isAfter(col(setterColumn(column)), col(LAST_DELETE), history.sequenceWidth()),
                      col(SETTER_VALUE + column))
                  .as(column)
              : col(WINNER + "." + column).as(column));
    }
    output.add(col(HIGH + "." + HASH).notEqual(bitwise_not(col(LOW + "." + HASH))).as(TIE_COLUMN));
    for (int i = 0; i < history.sequenceWidth(); i++) {
      output.add(col(WINNER + "." + sequenceColumn(i)).as(sequenceColumn(i)));
    }
    output.add(col(WINNER + "." + RANK).as(RANK));
    output.add(col(WINNER + "." + HASH).as(HASH));
    if (carry) {
      output.add(col(LAST_DELETE));
      output.add(col(LAST_UPSERT));
      for (String column : layout.valueColumns()) {
        output.add(col(setterColumn(column)));
      }
    }
    return perKey.select(output.toArray(new Column[0]));
  }

  /**
   * {@code ignore_null_updates}: per key the greatest sequence of its deletes and of its other
   * events, and per value column the greatest event setting it to a non-null value (its ordering in
   * {@link #setterColumn}, its value in {@code __cdcm_v_<column>}). All are maxima, so merging
   * batches component-wise gives what one aggregation over all of them gives.
   */
  private static List<Column> carriedValueAggregates(
      BronzeHistory history, StructType schema, Column changeType, Column hash) {
    Column isDelete = changeType.equalTo(ChangeType.DELETE.value());
    List<Column> sequence = new ArrayList<>();
    for (int i = 0; i < history.sequenceWidth(); i++) {
      sequence.add(history.sequence(i).as(sequenceColumn(i)));
    }
    Column sequenceStruct = struct(sequence.toArray(new Column[0]));
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(max(when(isDelete, sequenceStruct)).as(LAST_DELETE));
    aggregates.add(max(when(not(isDelete), sequenceStruct)).as(LAST_UPSERT));
    for (String column : history.layout().valueColumns()) {
      // Between setters at one sequence: update post-image over insert, then the greater value
      // (the row hash for values Spark cannot order).
      List<Column> setter = new ArrayList<>(sequence);
      setter.add(changeTypeRank(changeType).as(SETTER_RANK));
      setter.add(
          (isOrderable(schema.apply(column).dataType()) ? col(column) : hash).as(SETTER_TIE));
      Column order =
          when(not(isDelete).and(col(column).isNotNull()), struct(setter.toArray(new Column[0])));
      aggregates.add(max(order).as(setterColumn(column)));
      aggregates.add(max_by(col(column), order).as(SETTER_VALUE + column));
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
   * {@link #LAST_DELETE} value): its sequence is greater, or there is no delete. A setter sharing
   * its sequence with a delete comes before it, as the delete wins that tie.
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
   * {@link #RANK}, the orderable value columns, {@link #HASH}. Rows holding these columns (the
   * output of {@link #latestEvents}, or a table that stores it) compare like the aggregation does.
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
    return latestEvents.filter(col(TYPE).notEqual(lit(ChangeType.DELETE.value()))).select(columns);
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
