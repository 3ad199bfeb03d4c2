package io.cdcmedallion.config;

import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.sql.Identifiers;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole pipeline: where tables live, which entities to replicate into silver, which gold tables
 * to build. Loaded and validated by {@link ConfigLoader}.
 *
 * @param source where the config came from (a file path or {@code classpath:...}), for messages
 * @param catalog catalog of every table (default {@code main})
 * @param bronzeSchema schema holding the {@code lb_<entity>_history} tables (default {@code
 *     bronze})
 * @param silverSchema schema for silver and quarantine tables (default {@code silver})
 * @param goldSchema schema for gold tables (default {@code gold})
 * @param entities the replicated tables
 * @param gold the gold tables to build, in the order they run when one reads another
 * @param quality expectations per entity and gold table, and the run log's schema
 * @param incremental settings of incremental silver (checkpoints, tombstone retention)
 */
public record PipelineConfig(
    String source,
    String catalog,
    String bronzeSchema,
    String silverSchema,
    String goldSchema,
    List<EntityConfig> entities,
    List<GoldTableConfig> gold,
    QualityConfig quality,
    IncrementalConfig incremental) {

  /** Default catalog name, as on a Databricks workspace. */
  public static final String DEFAULT_CATALOG = "main";

  public PipelineConfig {
    Objects.requireNonNull(source, "source");
    Identifiers.requireValid(catalog, "catalog");
    Identifiers.requireValid(bronzeSchema, "bronze schema");
    Identifiers.requireValid(silverSchema, "silver schema");
    Identifiers.requireValid(goldSchema, "gold schema");
    entities = List.copyOf(entities);
    gold = List.copyOf(gold);
    requireUnique(entities.stream().map(EntityConfig::name).toList(), "entity");
    requireUnique(gold.stream().map(GoldTableConfig::name).toList(), "gold table");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(incremental, "incremental");
  }

  /**
   * A pipeline without expectations, logging runs to the gold schema, with default incremental
   * settings.
   */
  public PipelineConfig(
      String source,
      String catalog,
      String bronzeSchema,
      String silverSchema,
      String goldSchema,
      List<EntityConfig> entities,
      List<GoldTableConfig> gold) {
    this(
        source,
        catalog,
        bronzeSchema,
        silverSchema,
        goldSchema,
        entities,
        gold,
        QualityConfig.none(),
        IncrementalConfig.defaults());
  }

  private static void requireUnique(List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException(what + " '" + name + "' is listed twice");
      }
    }
  }

  /** The entity with this name, if configured. */
  public Optional<EntityConfig> entity(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The gold table with this name, if configured. */
  public Optional<GoldTableConfig> goldTable(String name) {
    return gold.stream().filter(g -> g.name().equals(name)).findFirst();
  }

  /** {@code <catalog>.<bronze>.lb_<entity>_history}. */
  public TableName historyTable(EntityConfig entity) {
    return new TableName(catalog, bronzeSchema, entity.historyTableName());
  }

  /** {@code <catalog>.<silver>.silver_<entity>}. */
  public TableName silverTable(EntityConfig entity) {
    return new TableName(catalog, silverSchema, entity.silverTableName());
  }

  /** {@code <catalog>.<silver>.quarantine_<entity>}. */
  public TableName quarantineTable(EntityConfig entity) {
    return new TableName(catalog, silverSchema, entity.quarantineTableName());
  }

  /** {@code <catalog>.<gold>.<name>}. */
  public TableName goldTableName(String name) {
    return new TableName(catalog, goldSchema, name);
  }

  /** A copy whose tables live in another catalog. */
  public PipelineConfig withCatalog(String newCatalog) {
    return new PipelineConfig(
        source,
        newCatalog,
        bronzeSchema,
        silverSchema,
        goldSchema,
        entities,
        gold,
        quality,
        incremental);
  }

  /** A copy with other data-quality settings. */
  public PipelineConfig withQuality(QualityConfig newQuality) {
    return new PipelineConfig(
        source,
        catalog,
        bronzeSchema,
        silverSchema,
        goldSchema,
        entities,
        gold,
        newQuality,
        incremental);
  }

  /** {@code <catalog>.<gold or run_log schema>._medallion_runs}. */
  public TableName runLogTable() {
    return new TableName(catalog, quality.runLogSchema().orElse(goldSchema), "_medallion_runs");
  }

  /** {@code <catalog>.<gold>.quarantine_<name>}: rows dropped by a gold table's expectations. */
  public TableName goldQuarantineTable(String name) {
    return new TableName(catalog, goldSchema, "quarantine_" + name);
  }

  /**
   * A copy with other incremental settings (e.g. a checkpoints folder given on the command line).
   */
  public PipelineConfig withIncremental(IncrementalConfig newIncremental) {
    return new PipelineConfig(
        source,
        catalog,
        bronzeSchema,
        silverSchema,
        goldSchema,
        entities,
        gold,
        quality,
        newIncremental);
  }

  /** A copy whose bronze, silver and gold tables live in other schemas. */
  public PipelineConfig withSchemas(String newBronze, String newSilver, String newGold) {
    return new PipelineConfig(
        source, catalog, newBronze, newSilver, newGold, entities, gold, quality, incremental);
  }
}
