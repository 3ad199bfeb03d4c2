package io.cdcmedallion.session;

import io.cdcmedallion.sql.Identifiers;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the embedded lakehouse: a directory that holds the Delta tables and the metastore
 * that names them, so {@code main.silver.silver_orders} survives from one run to the next.
 *
 * @param directory lakehouse root; tables go to {@code warehouse/}, the metastore to {@code
 *     metastore_db/}
 * @param catalog catalog name that three-part table names use (e.g. {@code main})
 * @param master Spark master, e.g. {@code local[*]}
 * @param shufflePartitions {@code spark.sql.shuffle.partitions}
 */
public record LocalLakehouse(Path directory, String catalog, String master, int shufflePartitions) {
  public LocalLakehouse {
    Objects.requireNonNull(directory, "directory");
    Identifiers.requireValid(catalog, "catalog");
    Objects.requireNonNull(master, "master");
    if (shufflePartitions < 1) {
      throw new IllegalArgumentException(
          "shufflePartitions must be at least 1: " + shufflePartitions);
    }
    directory = directory.toAbsolutePath().normalize();
  }

  /** Defaults for a laptop: all cores, a few shuffle partitions per core. */
  public static LocalLakehouse at(Path directory, String catalog) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new LocalLakehouse(directory, catalog, "local[*]", Math.max(2, cores * 2));
  }

  /** Where managed tables are stored. */
  public Path warehouse() {
    return directory.resolve("warehouse");
  }

  /** Where the Derby metastore lives. */
  public Path metastore() {
    return directory.resolve("metastore_db");
  }
}
