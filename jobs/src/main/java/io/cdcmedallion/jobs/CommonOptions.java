package io.cdcmedallion.jobs;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(
      names = "--lakehouse",
      paramLabel = "DIR",
      description =
          "Local lakehouse directory: Delta tables and the metastore naming them (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:MEDALLION_LAKEHOUSE:-lakehouse}")
  Path lakehouse;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Pipeline YAML file (default: the built-in sample shop pipeline).")
  Path config;

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Option(names = "--verbose", description = "On failure, print the full stack trace.")
  boolean verbose;

  Optional<Path> configFile() {
    return Optional.ofNullable(config);
  }
}
