package io.cdcmedallion.gold;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The silver tables a gold table reads, as seen while building one gold table: a missing silver
 * table is reported together with the gold table that needed it.
 *
 * <p>An entity's silver table is the one configured for it ({@code silver_table} override
 * included); a name that is not a configured entity maps to {@code silver_<entity>} in the silver
 * schema.
 */
public final class SilverTables {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final TableName goldTable;

  /**
   * @param spark the session to read with
   * @param config where the silver tables live
   * @param goldTable the gold table being built, named in error messages
   */
  public SilverTables(SparkSession spark, PipelineConfig config, TableName goldTable) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.config = Objects.requireNonNull(config, "config");
    this.goldTable = Objects.requireNonNull(goldTable, "goldTable");
  }

  /**
   * The current rows of {@code entity}'s silver table.
   *
   * @throws io.cdcmedallion.errors.MedallionException when the silver table does not exist (silver
   *     has not run yet)
   */
  public Dataset<Row> of(String entity) {
    TableName table = tableOf(entity);
    if (!Tables.exists(spark, table)) {
      throw Errors.silverTableMissing(table.toString(), goldTable.toString());
    }
    return spark.table(table.quoted());
  }

  /** The name of {@code entity}'s silver table; the entity name must be a plain identifier. */
  public TableName tableOf(String entity) {
    Optional<EntityConfig> configured = config.entity(entity);
    if (configured.isPresent()) {
      return config.silverTable(configured.get());
    }
    return new TableName(config.catalog(), config.silverSchema(), "silver_" + entity);
  }

  /**
   * The configured silver table called {@code tableName} inside the silver schema (for example
   * {@code silver_orders}), if one of the entities writes it.
   */
  public Optional<TableName> configuredTable(String tableName) {
    return config.entities().stream()
        .map(config::silverTable)
        .filter(t -> t.table().equalsIgnoreCase(tableName))
        .findFirst();
  }

  /** The session that reads the silver tables. */
  public SparkSession spark() {
    return spark;
  }

  /** Catalog of the silver schema. */
  public String catalog() {
    return config.catalog();
  }

  /** The silver schema's name inside {@link #catalog()}. */
  public String schema() {
    return config.silverSchema();
  }

  /** The gold table being built. */
  public TableName goldTable() {
    return goldTable;
  }
}
