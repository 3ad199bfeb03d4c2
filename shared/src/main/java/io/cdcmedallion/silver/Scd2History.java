package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.internal.HelperColumns;
import io.cdcmedallion.sql.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;

/**
 * SCD type 2 history from CDC history ({@code scd: 2}): every version of every key, with the
 * sequence range in which it was current, in {@code <silver_table>_history}.
 *
 * <p>A key's insert, update post-image and delete events are taken in the order of the tie rule of
 * {@link CurrentState} (sequence, then change-type rank, then values, then row hash), so events at
 * one sequence resolve as they do for the current state. An insert or update post-image opens a new
 * version when the key has no open version or a tracked column differs (null-safe) from the open
 * version; otherwise it updates the open version in place. A delete closes the open version. Update
 * pre-images are ignored. {@link #START_AT} is the LSN of the event that opened the version, {@link
 * #END_AT} the LSN of the event that closed it (the next version's opening event or a delete), null
 * while it is open. The open versions are exactly the rows of {@code silver_<entity>}.
 */
public final class Scd2History {
  /** LSN of the event that opened the version. */
  public static final String START_AT = "__START_AT";

  /** LSN of the event that closed the version; null for the open version. */
  public static final String END_AT = "__END_AT";

  private static final String ORDER = "__cdcm_order";
  private static final String RN = "__cdcm_rn";
  private static final String OPENS = "__cdcm_opens";
  private static final String VERSION = "__cdcm_version";
  private static final String NEXT = "__cdcm_next";
  private static final String LAST = "__cdcm_last";
  private static final String REPLACE = "__cdcm_replace";

  private Scd2History() {}

  /** The history table of a silver table: {@code <silver_table>_history}, same schema. */
  public static TableName tableFor(TableName silver) {
    return new TableName(silver.catalog(), silver.schema(), silver.table() + "_history");
  }

  /**
   * The tracked columns of {@code entity} among the value columns of {@code layout}, in table
   * order; a listed column that bronze does not have is a config error naming it.
   */
  public static List<String> trackedColumns(
      EntityConfig entity, HistoryLayout layout, String source) {
    List<String> values = layout.valueColumns();
    Optional<String> unknown = entity.trackHistory().unknownColumn(values);
    if (unknown.isPresent()) {
      throw Errors.trackedColumnUnknown(
          source,
          entity.name(),
          entity.trackHistory().configField(),
          unknown.get(),
          layout.table().toString(),
          values);
    }
    return entity.trackHistory().tracked(values);
  }

  /**
   * The versions of every key in {@code validRows}: data columns in table order, then {@link
   * #START_AT} and {@link #END_AT} (typed as the sequence: the LSN column's integer type, or
   * DECIMAL(38,0) for pg_lsn text and decimal LSNs).
   *
   * <p>One window per key: an event opens a version when it is not a delete and the previous event
   * is missing, a delete, or differs in a tracked column (the state before an event depends only on
   * the event before it); a running sum numbers the versions; each version ends where the event
   * after its last non-delete event starts.
   */
  public static Dataset<Row> versions(
      BronzeHistory history, Dataset<Row> validRows, List<String> tracked) {
    HistoryLayout layout = history.layout();
    StructType schema = validRows.schema();
    Dataset<Row> events = CurrentState.events(history, validRows);
    Column order =
        struct(
            CurrentState.ordering(layout, schema, history.sequenceWidth()).stream()
                .map(c -> col(c))
                .toArray(Column[]::new));
    Column[] keys = layout.keys().stream().map(k -> col(k)).toArray(Column[]::new);
    WindowSpec byKey = Window.partitionBy(keys).orderBy(col(ORDER));
    String start = CurrentState.sequenceColumn(0);
    Column delete = lit(ChangeType.DELETE.value());
    Column previous = lag(col(HelperColumns.TYPE), 1).over(byKey);
    Column sameTracked = lit(true);
    for (String column : tracked) {
      Column value = comparable(column, schema);
      sameTracked = sameTracked.and(value.eqNullSafe(lag(value, 1).over(byKey)));
    }
    Column opens =
        col(HelperColumns.TYPE)
            .notEqual(delete)
            .and(previous.isNull().or(previous.equalTo(delete)).or(not(sameTracked)));

    List<Column> last = new ArrayList<>();
    for (String column : layout.valueColumns()) {
      last.add(col(column));
    }
    last.add(col(NEXT));
    // One select, so one window operator numbers the rows and looks at their neighbours:
    // identical events (a delivery repeated) tie in the ordering, and the row number must name
    // last the one whose next event is a different one.
    Dataset<Row> numbered =
        events
            .withColumn(ORDER, order)
            .select(
                col("*"),
                row_number().over(byKey).as(RN),
                when(opens, 1).otherwise(0).as(OPENS),
                lead(col(start), 1).over(byKey).as(NEXT))
            .withColumn(
                VERSION,
                sum(col(OPENS))
                    .over(byKey.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
    List<Column> groups = new ArrayList<>(List.of(keys));
    groups.add(col(VERSION));
    Dataset<Row> perVersion =
        numbered
            .filter(col(HelperColumns.TYPE).notEqual(delete))
            .groupBy(groups.toArray(new Column[0]))
            .agg(
                min_by(col(start), col(RN)).as(START_AT),
                max_by(struct(last.toArray(new Column[0])), col(RN)).as(LAST));

    List<Column> output = new ArrayList<>();
    for (String column : layout.dataColumns()) {
      output.add(layout.keys().contains(column) ? col(column) : col(LAST + "." + column));
    }
    output.add(col(START_AT));
    output.add(col(LAST + "." + NEXT).as(END_AT));
    return perVersion.select(output.toArray(new Column[0]));
  }

  /**
   * Replaces every row of the keys in {@code keys} in the history table by {@code versions} (their
   * recomputed versions) with one {@code MERGE INTO}: one commit, and running it again with the
   * same inputs gives the same table.
   *
   * @param keys the key columns of the keys to replace, each key once
   */
  public static void replaceKeys(
      SparkSession spark,
      TableName table,
      Dataset<Row> versions,
      Dataset<Row> keys,
      List<String> keyColumns,
      String viewName) {
    // Marker rows, one per key, delete the key's rows; version rows never match and are inserted.
    Dataset<Row> source =
        versions
            .withColumn(REPLACE, lit(false))
            .unionByName(keys.withColumn(REPLACE, lit(true)), true);
    List<String> columns = List.of(versions.columns());
    String match =
        keyColumns.stream()
            .map(k -> "t." + q(k) + " = s." + q(k))
            .collect(Collectors.joining(" AND "));
    String sql =
        String.format(
            "MERGE INTO %s t USING %s s ON s.%s AND %s WHEN MATCHED THEN DELETE WHEN NOT MATCHED AND NOT s.%s THEN INSERT (%s) VALUES (%s)",
            table.quoted(),
            q(viewName),
            q(REPLACE),
            match,
            q(REPLACE),
            columns.stream().map(Scd2History::q).collect(Collectors.joining(", ")),
            columns.stream().map(c -> "s." + q(c)).collect(Collectors.joining(", ")));
    Tables.withTempView(source, viewName, () -> spark.sql(sql).collect());
  }

  private static Column comparable(String column, StructType schema) {
    // Maps and variants have no equality in Spark; their JSON text compares instead.
    return CurrentState.isOrderable(schema.apply(column).dataType())
        ? col(column)
        : to_json(col(column));
  }

  private static String q(String identifier) {
    return Identifiers.quote(identifier);
  }
}
