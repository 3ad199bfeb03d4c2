package io.cdcmedallion.jobs;

import io.cdcmedallion.config.IncrementalConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.session.ConnectSettings;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the tables live and which Spark runs the job: the options a Databricks job task passes
 * (databricks.yml), and {@code --connect} for running from a laptop or IDE against a workspace.
 */
final class WorkspaceOptions {
  @Option(
      names = "--catalog",
      paramLabel = "NAME",
      description = "Catalog of all tables (default: the config's catalog, main).")
  String catalog;

  @Option(
      names = "--bronze-schema",
      paramLabel = "NAME",
      description = "Schema of the lb_<entity>_history tables (default: the config's, bronze).")
  String bronzeSchema;

  @Option(
      names = "--silver-schema",
      paramLabel = "NAME",
      description = "Schema of the silver tables (default: the config's, silver).")
  String silverSchema;

  @Option(
      names = "--gold-schema",
      paramLabel = "NAME",
      description = "Schema of the gold tables (default: the config's, gold).")
  String goldSchema;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description =
          "Folder of incremental silver's streaming checkpoints, e.g. a Unity Catalog volume"
              + " /Volumes/main/silver/checkpoints (default: the config's incremental.checkpoints,"
              + " else _checkpoints in the local lakehouse). Required on Databricks.")
  String checkpoints;

  @Option(
      names = "--connect",
      description =
          "Run on a Databricks workspace through Databricks Connect (needs the dbconnect build).")
  boolean connect;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "With --connect: the ~/.databrickscfg profile (default: the SDK's default).",
      defaultValue = "${env:DATABRICKS_CONFIG_PROFILE}")
  String profile;

  @Option(
      names = "--cluster-id",
      paramLabel = "ID",
      description = "With --connect: the cluster to run on (default: the profile's cluster_id).",
      defaultValue = "${env:DATABRICKS_CLUSTER_ID}")
  String clusterId;

  @Option(
      names = "--serverless",
      description = "With --connect: run on serverless compute instead of a cluster.")
  boolean serverless;

  @Option(
      names = "--remote",
      paramLabel = "URL",
      description =
          "Run on an open-source Spark Connect server, e.g. sc://localhost:15002 (needs the Spark"
              + " Connect client on the classpath instead of spark-sql).")
  String remote;

  /** The config with the catalog, schemas and checkpoints folder given on the command line. */
  PipelineConfig apply(PipelineConfig config) {
    PipelineConfig located = catalog == null ? config : config.withCatalog(catalog);
    if (checkpoints != null) {
      if (checkpoints.isBlank()) {
        throw Errors.usage(
            "--checkpoints is empty. Give a folder path or URI, e.g. --checkpoints /Volumes/main/silver/checkpoints.");
      }
      located =
          located.withIncremental(
              new IncrementalConfig(
                  Optional.of(checkpoints.strip()), located.incremental().tombstoneRetention()));
    }
    return located.withSchemas(
        bronzeSchema == null ? located.bronzeSchema() : bronzeSchema,
        silverSchema == null ? located.silverSchema() : silverSchema,
        goldSchema == null ? located.goldSchema() : goldSchema);
  }

  ConnectSettings connectSettings() {
    return new ConnectSettings(
        Optional.ofNullable(profile),
        Optional.ofNullable(clusterId),
        serverless,
        Optional.ofNullable(remote));
  }
}
