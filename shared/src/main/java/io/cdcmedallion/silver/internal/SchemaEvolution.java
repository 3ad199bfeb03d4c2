package io.cdcmedallion.silver.internal;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.silver.Scd2History;
import io.cdcmedallion.sql.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze schema changes as incremental silver sees them: added columns are added to silver (and the
 * SCD 2 history) where a full refresh would put them; a dropped or retyped column stops the run,
 * since the rows already applied cannot be recomputed without the full history.
 */
final class SchemaEvolution {
  private final PipelineConfig config;
  private final EntityConfig entity;
  private final TableName silver;

  SchemaEvolution(PipelineConfig config, EntityConfig entity, TableName silver) {
    this.config = config;
    this.entity = entity;
    this.silver = silver;
  }

  /** Adds a micro-batch's new bronze columns to silver (null in existing rows) and the history. */
  void addNewColumns(SparkSession session, HistoryLayout layout, StructType batchSchema) {
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

  /** Fails with the dropped or retyped column when all of bronze no longer fits silver. */
  void requireCompatible(SparkSession spark) {
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
}
