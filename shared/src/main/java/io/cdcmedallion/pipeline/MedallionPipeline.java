package io.cdcmedallion.pipeline;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.gold.GoldJob;
import io.cdcmedallion.gold.GoldResult;
import io.cdcmedallion.silver.IncrementalOptions;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.IncrementalSilver;
import io.cdcmedallion.silver.SilverJob;
import io.cdcmedallion.silver.SilverResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the configured silver and gold steps in order. Each table is written in one commit, so a
 * failure stops the run with every table either fully rebuilt or untouched.
 */
public final class MedallionPipeline {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final PipelineListener listener;

  public MedallionPipeline(SparkSession spark, PipelineConfig config, PipelineListener listener) {
    this.spark = spark;
    this.config = config;
    this.listener = listener;
  }

  /** Rebuilds the silver table of one entity, or of every entity when {@code entity} is empty. */
  public List<SilverResult> silver(Optional<String> entity) {
    SilverJob job = new SilverJob(spark, config);
    List<SilverResult> results = new ArrayList<>();
    for (EntityConfig e : entities(entity)) {
      SilverResult result = job.run(e);
      listener.silverDone(result);
      results.add(result);
    }
    return results;
  }

  /**
   * Incremental silver of one entity, or of every entity when {@code entity} is empty; with {@code
   * fullRefresh} each entity is first rebuilt from all history, which also starts a new checkpoint.
   */
  public List<IncrementalResult> silverIncremental(
      Optional<String> entity, IncrementalOptions options, boolean fullRefresh) {
    List<EntityConfig> entities = entities(entity);
    if (fullRefresh) {
      silver(entity);
    }
    IncrementalSilver job =
        new IncrementalSilver(spark, config, options, listener::silverBatchDone);
    if (options.continuous()) {
      List<IncrementalResult> results = job.runAll(entities);
      results.forEach(listener::silverIncrementalDone);
      return results;
    }
    List<IncrementalResult> results = new ArrayList<>();
    for (EntityConfig e : entities) {
      IncrementalResult result = job.run(e);
      listener.silverIncrementalDone(result);
      results.add(result);
    }
    return results;
  }

  private List<EntityConfig> entities(Optional<String> entity) {
    return entity
        .map(
            name ->
                List.of(
                    config
                        .entity(name)
                        .orElseThrow(
                            () ->
                                Errors.unknownEntity(
                                    name,
                                    config.entities().stream().map(EntityConfig::name).toList(),
                                    config.source()))))
        .orElse(config.entities());
  }

  /** Rebuilds one gold table, or every configured gold table when {@code table} is empty. */
  public List<GoldResult> gold(Optional<String> table) {
    List<GoldTableConfig> tables =
        table
            .map(
                name ->
                    List.of(
                        config
                            .goldTable(name)
                            .orElseThrow(
                                () ->
                                    Errors.unknownGoldTable(
                                        name,
                                        config.gold().stream().map(GoldTableConfig::name).toList(),
                                        config.source()))))
            .orElse(config.gold());
    GoldJob job = new GoldJob(spark, config);
    List<GoldResult> results = new ArrayList<>();
    for (GoldTableConfig t : tables) {
      GoldResult result = job.run(t);
      listener.goldDone(result);
      results.add(result);
    }
    return results;
  }
}
