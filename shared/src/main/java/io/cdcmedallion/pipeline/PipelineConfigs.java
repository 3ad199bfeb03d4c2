package io.cdcmedallion.pipeline;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.gold.BuiltinGoldTables;
import java.nio.file.Path;
import java.util.Optional;

/** Loads pipeline configs that may name this build's built-in gold tables. */
public final class PipelineConfigs {
  private PipelineConfigs() {}

  /** Loads {@code file}, or the sample shop pipeline when it is empty. */
  public static PipelineConfig load(Optional<Path> file) {
    ConfigLoader loader = new ConfigLoader(BuiltinGoldTables.names());
    return file.map(loader::load).orElseGet(loader::loadSample);
  }
}
