package io.cdcmedallion.bronze;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The bronze contract: reads {@code <catalog>.<bronze>.lb_<entity>_history}, works out its metadata
 * shape, and checks that the key and metadata columns exist. {@link #sequence(int)}, {@link
 * #changeType()} and {@link #invalidRowReason()} give the expressions silver orders and filters by;
 * the entity's AUTO CDC options ({@link CdcOptions}) are applied here, so that every reader of the
 * history (full refresh, incremental, history tables) sees them the same way.
 */
public final class BronzeHistory {
  /** A pg_lsn text value: two hexadecimal halves, e.g. {@code 16/B374D848}. */
  private static final String PG_LSN_PATTERN = "^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$";

  /** A whole, non-negative LSN written as decimal digits, e.g. {@code 42}. */
  private static final String DIGITS_PATTERN = "^[0-9]{1,38}$";

  private static final DecimalType LSN_TYPE = DataTypes.createDecimalType(38, 0);

  private final Dataset<Row> rows;
  private final HistoryLayout layout;
  private final List<Column> sequence;
  private final Column changeType;
  private final CdcOptions options;
  private final OptionalLong version;

  private BronzeHistory(
      Dataset<Row> rows,
      HistoryLayout layout,
      List<Column> sequence,
      Column changeType,
      CdcOptions options,
      OptionalLong version) {
    this.rows = rows;
    this.layout = layout;
    this.sequence = sequence;
    this.changeType = changeType;
    this.options = options;
    this.version = version;
  }

  private BronzeHistory withVersion(OptionalLong newVersion) {
    return new BronzeHistory(rows, layout, sequence, changeType, options, newVersion);
  }

  /** The Delta version read, when the history is a Delta table read by {@link #read}. */
  public OptionalLong version() {
    return version;
  }

  /**
   * Reads and checks the history table of {@code entity}. A Delta table is read at its current
   * version, so the contract check, the quarantine and silver all see the same rows even while
   * Lakehouse Sync keeps appending: a row that arrives mid-run is left for the next run, not lost
   * between steps.
   */
  public static BronzeHistory read(SparkSession spark, PipelineConfig config, EntityConfig entity) {
    TableName table = config.historyTable(entity);
    if (!Tables.exists(spark, table)) {
      throw Errors.bronzeTableMissing(table.toString(), entity.name(), config.source());
    }
    OptionalLong version = Tables.currentVersion(spark, table);
    Dataset<Row> rows =
        version.isPresent()
            ? Tables.atVersion(spark, table, version.getAsLong())
            : spark.table(table.quoted());
    return of(rows, table, entity, config.source()).withVersion(version);
  }

  /**
   * Checks {@code rows} against the contract as the history table {@code table} of {@code entity}.
   *
   * @param source config file name, used in messages that tell the user what to change
   */
  public static BronzeHistory of(
      Dataset<Row> rows, TableName table, EntityConfig entity, String source) {
    StructType schema = rows.schema();
    List<String> columns = Arrays.asList(schema.fieldNames());
    MetadataShape shape =
        entity
            .shape()
            .orElseGet(
                () ->
                    MetadataShape.detect(schema)
                        .orElseThrow(
                            () ->
                                Errors.shapeNotDetected(
                                    table.toString(),
                                    entity.name(),
                                    source,
                                    columns.contains("_change_type")
                                        && columns.contains("_pg_change_type"))));
    String shapeFix =
        String.format(
            "Lakehouse Sync tables in the %s shape need it; set 'shape:' for entity '%s' in %s if the table has the other shape.",
            shape.configName(), entity.name(), source);
    requireColumn(table, columns, shape.changeTypeColumn(), "the change type column", shapeFix);
    requireColumn(table, columns, shape.lsnColumn(), "the log sequence number column", shapeFix);
    for (String key : entity.keys()) {
      if (!columns.contains(key)) {
        // The config names the key, so the config is what to fix (exit code 2, not 1).
        throw Errors.keyColumnMissing(
            table.toString(),
            key,
            "a primary key column of entity " + entity.name(),
            columns,
            String.format("Fix 'keys' for entity '%s' in %s.", entity.name(), source));
      }
    }
    CdcOptions options = entity.cdc();
    String optionsFix =
        String.format("Fix the CDC options of entity '%s' in %s.", entity.name(), source);
    List<String> sequenceColumns = new ArrayList<>();
    sequenceColumns.add(shape.lsnColumn());
    shape.tieBreakColumn().filter(columns::contains).ifPresent(sequenceColumns::add);
    List<Column> sequence = new ArrayList<>();
    for (String column : sequenceColumns) {
      sequence.add(sequenceExpression(table, column, schema.apply(column).dataType()));
    }
    for (String column : options.sequenceTieBreak()) {
      requireColumn(table, columns, column, "a sequence_tie_break column", optionsFix);
      DataType type = schema.apply(column).dataType();
      if (shape.metadataColumns().contains(column)) {
        throw Errors.tieBreakInvalid(
            table.toString(), column, "is a CDC metadata column", entity.name(), source);
      }
      if (!HistoryLayout.isOrderable(type)) {
        throw Errors.tieBreakInvalid(
            table.toString(),
            column,
            "has type " + type.simpleString() + ", which cannot be ordered",
            entity.name(),
            source);
      }
      sequenceColumns.add(column);
      // Compared as they are: a null sorts lowest, as in Spark's ascending order.
      sequence.add(col(column));
    }

    for (String column : options.columns()) {
      requireColumn(table, columns, column, "a column listed in 'columns'", optionsFix);
    }
    List<String> dataColumns =
        columns.stream()
            .filter(c -> !shape.metadataColumns().contains(c))
            .filter(
                c ->
                    entity.keys().contains(c)
                        || options.columns().isEmpty()
                        || options.columns().contains(c))
            // An excluded column that bronze no longer has is simply absent.
            .filter(c -> !options.exceptColumns().contains(c))
            .toList();
    HistoryLayout layout =
        new HistoryLayout(table, shape, entity.keys(), sequenceColumns, dataColumns);
    Column changeType = col(shape.changeTypeColumn());
    if (options.applyAsDeletes().isPresent()) {
      changeType = softDeletes(rows, table, entity, options.applyAsDeletes().get(), changeType);
    }
    return new BronzeHistory(rows, layout, sequence, changeType, options, OptionalLong.empty());
  }

  /**
   * The change type with inserts and update post-images that match {@code condition} turned into
   * deletes; checks first that the condition resolves on {@code rows} as a boolean.
   */
  private static Column softDeletes(
      Dataset<Row> rows,
      TableName table,
      EntityConfig entity,
      CdcOptions.SqlCondition condition,
      Column changeType) {
    Column matches;
    DataType type;
    try {
      matches = expr(condition.sql());
      type = rows.select(matches).schema().fields()[0].dataType();
    } catch (Exception e) {
      // AnalysisException and ParseException are thrown by Scala code without being declared.
      throw Errors.applyAsDeletesInvalid(
          condition.origin(),
          condition.sql(),
          table.toString(),
          entity.name(),
          Errors.firstLine(e));
    }
    if (!(type instanceof BooleanType)) {
      throw Errors.applyAsDeletesInvalid(
          condition.origin(),
          condition.sql(),
          table.toString(),
          entity.name(),
          "it is of type " + type.simpleString() + ", not boolean");
    }
    // A null result (e.g. is_deleted is null) is not a delete.
    return when(
            changeType
                .isin(ChangeType.INSERT.value(), ChangeType.UPDATE_POSTIMAGE.value())
                .and(coalesce(matches, lit(false))),
            lit(ChangeType.DELETE.value()))
        .otherwise(changeType);
  }

  private static void requireColumn(
      TableName table, List<String> columns, String column, String role, String fix) {
    if (!columns.contains(column)) {
      throw Errors.missingColumn(table.toString(), column, role, columns, fix);
    }
  }

  /**
   * Sequence values as comparable numbers: integers as they are, pg_lsn text ({@code 16/B374D848})
   * as the 64-bit position it spells, decimal digits as the number. An LSN is a position in the
   * write-ahead log, so a negative or fractional value ({@code -5}, {@code 1.5}) is not one: like
   * text that is neither form, it becomes null, which the contract check reports (the row fails or
   * goes to the quarantine, it is never rounded into place).
   */
  private static Column sequenceExpression(TableName table, String column, DataType type) {
    Column c = col(column);
    if (type instanceof LongType || type instanceof IntegerType || type instanceof ShortType) {
      return when(c.geq(lit(0)), c);
    }
    if (type instanceof DecimalType) {
      return when(c.geq(lit(0)).and(c.equalTo(floor(c))), c.cast(LSN_TYPE));
    }
    if (type instanceof StringType) {
      Column high = conv(substring_index(c, "/", 1), 16, 10).cast(LSN_TYPE);
      Column low = conv(substring_index(c, "/", -1), 16, 10).cast(LSN_TYPE);
      return when(c.rlike(PG_LSN_PATTERN), high.multiply(lit(4294967296L)).plus(low).cast(LSN_TYPE))
          .when(c.rlike(DIGITS_PATTERN), c.try_cast(LSN_TYPE));
    }
    throw Errors.unsupportedSequenceType(table.toString(), column, type.simpleString());
  }

  /** The raw history rows, all columns. */
  public Dataset<Row> rows() {
    return rows;
  }

  /** Shape, keys, sequence and data columns. */
  public HistoryLayout layout() {
    return layout;
  }

  /** The {@code i}-th sequence value as a comparable expression (0 is the LSN). */
  public Column sequence(int i) {
    return sequence.get(i);
  }

  /**
   * The effective change type: the shape's change-type column, except that inserts and update
   * post-images matching the entity's {@code apply_as_deletes} are {@code delete}.
   */
  public Column changeType() {
    return changeType;
  }

  /** The entity's AUTO CDC options this history applies. */
  public CdcOptions options() {
    return options;
  }

  /** Number of sequence columns. */
  public int sequenceWidth() {
    return sequence.size();
  }

  /** True for rows with a null in any key column. */
  public Column nullKey() {
    return layout.keys().stream().map(k -> col(k).isNull()).reduce(Column::or).orElseThrow();
  }

  /** True for rows whose LSN is null or unreadable. */
  public Column nullSequence() {
    // _sort_by breaks ties only; a null there still leaves the LSN to order by.
    return sequence.get(0).isNull();
  }

  /** True for rows whose change type is null or not one of the four known values. */
  public Column unknownChangeType() {
    Column type = col(layout.changeTypeColumn());
    return type.isNull().or(not(type.isin(ChangeType.allValues().toArray())));
  }

  /**
   * True for rows that break the contract: null key, null or unreadable LSN, unknown change type.
   */
  public Column isInvalid() {
    return nullKey().or(nullSequence()).or(unknownChangeType());
  }

  /**
   * Why a row breaks the contract, e.g. {@code "null key; unknown change type"}; null when valid.
   */
  public Column invalidRowReason() {
    Column reason =
        concat_ws(
            "; ",
            when(nullKey(), lit("null key")),
            when(nullSequence(), lit("null or unreadable " + layout.shape().lsnColumn())),
            when(unknownChangeType(), lit("unknown " + layout.changeTypeColumn())));
    return when(isInvalid(), reason);
  }

  /** Counts of rows in the table and of each kind of contract violation. */
  public ContractReport check() {
    String typeColumn = layout.changeTypeColumn();
    Row counts =
        rows.agg(
                count(lit(1)),
                sum(when(isInvalid(), 1).otherwise(0)),
                sum(when(nullKey(), 1).otherwise(0)),
                sum(when(nullSequence(), 1).otherwise(0)),
                sum(when(unknownChangeType(), 1).otherwise(0)),
                slice(
                    collect_set(when(unknownChangeType(), coalesce(col(typeColumn), lit("NULL")))),
                    1,
                    5))
            .first();
    List<String> unknownTypes = counts.isNullAt(5) ? List.of() : counts.getList(5);
    return new ContractReport(
        counts.getLong(0),
        counts.isNullAt(1) ? 0 : counts.getLong(1),
        counts.isNullAt(2) ? 0 : counts.getLong(2),
        counts.isNullAt(3) ? 0 : counts.getLong(3),
        counts.isNullAt(4) ? 0 : counts.getLong(4),
        unknownTypes.stream().sorted().toList(),
        layout);
  }

  /** The rows that pass the contract. */
  public Dataset<Row> validRows() {
    return rows.filter(not(isInvalid()));
  }

  /** The rows that break the contract, with a {@code _quarantine_reason} column. */
  public Dataset<Row> invalidRows() {
    return rows.filter(isInvalid()).withColumn("_quarantine_reason", invalidRowReason());
  }
}
