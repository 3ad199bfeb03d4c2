package io.cdcmedallion.config.internal;

import io.cdcmedallion.config.PipelineConfig;
import java.util.List;

/** The top-level fields of a pipeline YAML file. */
public final class TopLevelOptions {
  private TopLevelOptions() {}

  public static final Option<String> CATALOG =
      Option.of("catalog", "identifier", Field::identifier)
          .orElse(PipelineConfig.DEFAULT_CATALOG, "`" + PipelineConfig.DEFAULT_CATALOG + "`")
          .help("catalog of every table");

  public static final Option<Values> SCHEMAS =
      Option.of("schemas", "mapping", Readers.mapping(SchemaOptions.SECTION))
          .orElse(SchemaOptions.SECTION.defaults(), "see below")
          .help("schemas of the layers and of the run log")
          .nested(SchemaOptions.SECTION);

  public static final Option<List<Values>> ENTITIES =
      Option.of("entities", "list of entities", TopLevelOptions::entities)
          .required("a list of entities, each with name and keys")
          .help("the replicated tables")
          .nested(EntityOptions.SECTION);

  public static final Option<List<Values>> GOLD =
      Option.of("gold", "list of gold tables", Readers.listOf(GoldOptions.SECTION))
          .orElse(List.of(), "none")
          .help(
              "the gold tables to build: side by side, or one after another in this order when a SQL gold table names another configured one")
          .nested(GoldOptions.SECTION);

  public static final Option<Values> INCREMENTAL =
      Option.of("incremental", "mapping", Readers.mapping(IncrementalOptions.SECTION))
          .orElse(IncrementalOptions.SECTION.defaults(), "see below")
          .help("settings of [incremental silver](incremental.md#incremental-runs)")
          .nested(IncrementalOptions.SECTION);

  /** The top-level fields; every other section is reached from here. */
  public static final Section SECTION = Section.of(CATALOG, SCHEMAS, ENTITIES, GOLD, INCREMENTAL);

  private static List<Values> entities(Field f) {
    List<Values> entities = Readers.listOf(EntityOptions.SECTION).apply(f);
    if (entities.isEmpty()) {
      throw f.error("is empty", "at least one entity with name and keys");
    }
    return entities;
  }
}
