package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.bitwise_not;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
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
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;

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
   */
  public static Dataset<Row> latestEvents(BronzeHistory history, Dataset<Row> validRows) {
    HistoryLayout layout = history.layout();
    StructType schema = validRows.schema();
    Column changeType = col(layout.changeTypeColumn());
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
    Column hash = rowHash(layout, schema);
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
    Dataset<Row> perKey =
        events
            .groupBy(keys)
            .agg(
                max_by(
                        struct(content.toArray(new Column[0])),
                        struct(ordering.toArray(new Column[0])))
                    .as(WINNER),
                // Among rows at the greatest sequence: greatest hash, and greatest inverted hash
                // (that is, the smallest hash). They differ exactly when the rows differ.
                max(struct(highest.toArray(new Column[0]))).as(HIGH),
                max(struct(lowest.toArray(new Column[0]))).as(LOW));

    List<Column> output = new ArrayList<>();
    for (String key : layout.keys()) {
      output.add(col(key));
    }
    output.add(col(WINNER + "." + TYPE).as(TYPE));
    for (String column : layout.valueColumns()) {
      output.add(col(WINNER + "." + column).as(column));
    }
    output.add(col(HIGH + "." + HASH).notEqual(bitwise_not(col(LOW + "." + HASH))).as(TIE_COLUMN));
    for (int i = 0; i < history.sequenceWidth(); i++) {
      output.add(col(WINNER + "." + sequenceColumn(i)).as(sequenceColumn(i)));
    }
    output.add(col(WINNER + "." + RANK).as(RANK));
    output.add(col(WINNER + "." + HASH).as(HASH));
    return perKey.select(output.toArray(new Column[0]));
  }

  /**
   * Every insert, update post-image and delete of {@code validRows}, one row per event: key
   * columns, {@link #TYPE}, every value column, the sequence ({@link #sequenceColumn}{@code (i)}),
   * {@link #RANK} and {@link #HASH} -- the columns {@link #ordering} names, computed as {@link
   * #latestEvents} computes them. Sorting a key's events by that ordering puts them in the order in
   * which the tie rule ranks them, so SCD type 2 versions agree with the current state.
   */
  public static Dataset<Row> events(BronzeHistory history, Dataset<Row> validRows) {
    HistoryLayout layout = history.layout();
    Column changeType = col(layout.changeTypeColumn());
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
    columns.add(rowHash(layout, validRows.schema()).as(HASH));
    return validRows
        .filter(
            changeType.isin(
                ChangeType.INSERT.value(),
                ChangeType.UPDATE_POSTIMAGE.value(),
                ChangeType.DELETE.value()))
        .select(columns.toArray(new Column[0]));
  }

  /** The tie rule's last resort: a hash of the change type and every value column. */
  private static Column rowHash(HistoryLayout layout, StructType schema) {
    // xxhash64 skips null inputs, so (null, 5) and (5, null) would hash alike and a tie between
    // them would go unreported; hashing which columns are null as well tells them apart.
    List<Column> hashed = new ArrayList<>();
    hashed.add(col(layout.changeTypeColumn()));
    for (String column : layout.valueColumns()) {
      // xxhash64 rejects maps and variants (e.g. Postgres jsonb); their JSON text hashes instead.
      hashed.add(isOrderable(schema.apply(column).dataType()) ? col(column) : to_json(col(column)));
    }
    for (String column : layout.valueColumns()) {
      hashed.add(col(column).isNull());
    }
    return xxhash64(hashed.toArray(new Column[0]));
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
    if (type instanceof MapType || type instanceof VariantType) {
      return false;
    }
    if (type instanceof ArrayType array) {
      return isOrderable(array.elementType());
    }
    if (type instanceof StructType struct) {
      for (StructField field : struct.fields()) {
        if (!isOrderable(field.dataType())) {
          return false;
        }
      }
    }
    return true;
  }
}
