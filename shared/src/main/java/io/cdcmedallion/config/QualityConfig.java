package io.cdcmedallion.config;

import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.sql.Identifiers;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Data-quality settings of a pipeline: the expectations declared under each entity and gold table,
 * and where the run log lives.
 *
 * @param entityExpectations expectations by entity name
 * @param goldExpectations expectations by gold table name
 * @param runLogSchema schema of the run log table (default: the gold schema)
 */
public record QualityConfig(
    Map<String, List<Expectation>> entityExpectations,
    Map<String, List<Expectation>> goldExpectations,
    Optional<String> runLogSchema) {
  public QualityConfig {
    entityExpectations = Map.copyOf(entityExpectations);
    goldExpectations = Map.copyOf(goldExpectations);
    Objects.requireNonNull(runLogSchema, "runLogSchema");
    runLogSchema.ifPresent(s -> Identifiers.requireValid(s, "run log schema"));
  }

  /** No expectations, run log in the gold schema. */
  public static QualityConfig none() {
    return new QualityConfig(Map.of(), Map.of(), Optional.empty());
  }

  /** The expectations of an entity, in declaration order. */
  public List<Expectation> forEntity(String entity) {
    return entityExpectations.getOrDefault(entity, List.of());
  }

  /** The expectations of a gold table, in declaration order. */
  public List<Expectation> forGold(String table) {
    return goldExpectations.getOrDefault(table, List.of());
  }
}
