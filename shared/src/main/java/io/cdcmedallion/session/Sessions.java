package io.cdcmedallion.session;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.session.internal.LakehouseLock;
import io.cdcmedallion.session.internal.LocalCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that creates Spark sessions. Job code receives a {@link SparkSession} and never
 * builds one, so the same classes run locally, through Databricks Connect, or inside a Databricks
 * job.
 */
public final class Sessions {
  private Sessions() {}

  /**
   * Starts (or returns the running) embedded Spark session with Delta and a persistent local
   * catalog named {@code lakehouse.catalog()}.
   */
  public static SparkSession local(LocalLakehouse lakehouse) {
    try {
      Files.createDirectories(lakehouse.warehouse());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create lakehouse directory " + lakehouse.directory(), e);
    }
    LakehouseLock.acquire(lakehouse.directory());
    // Derby writes derby.log into the working directory unless told otherwise.
    System.setProperty(
        "derby.stream.error.file", lakehouse.directory().resolve("derby.log").toString());
    String catalogKey = "spark.sql.catalog." + lakehouse.catalog();
    try {
      SparkSession session =
          SparkSession.builder()
              .appName("cdc-medallion")
              .master(lakehouse.master())
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false")
              .config(
                  "spark.sql.shuffle.partitions", Integer.toString(lakehouse.shufflePartitions()))
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config(catalogKey, LocalCatalog.class.getName())
              .config("spark.sql.warehouse.dir", lakehouse.warehouse().toUri().toString())
              .config("spark.sql.catalogImplementation", "hive")
              .config(
                  "spark.hadoop.javax.jdo.option.ConnectionURL",
                  "jdbc:derby:;databaseName=" + lakehouse.metastore() + ";create=true")
              .config("spark.hadoop.datanucleus.schema.autoCreateAll", "true")
              .config("spark.hadoop.hive.metastore.schema.verification", "false")
              .config("spark.sql.legacy.createHiveTableByDefault", "false")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .enableHiveSupport()
              .getOrCreate();
      // Touch the metastore now, so a locked lakehouse fails here with a clear message.
      session.sql("SHOW DATABASES").collect();
      return session;
    } catch (RuntimeException e) {
      if (causedByDerbyLock(e)) {
        throw Errors.lakehouseInUse(lakehouse.directory().toString());
      }
      throw e;
    }
  }

  private static boolean causedByDerbyLock(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String message = c.getMessage();
      if (message != null
          && message.contains("Another instance of Derby may have already booted")) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
