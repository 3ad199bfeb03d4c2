package io.cdcmedallion.session;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.session.internal.DatabricksConnect;
import io.cdcmedallion.session.internal.LakehouseHome;
import io.cdcmedallion.session.internal.LakehouseLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Database;

/**
 * The one place that creates Spark sessions. Job code receives a {@link SparkSession} and never
 * builds one, so the same classes run locally, through Databricks Connect, or inside a Databricks
 * job.
 */
public final class Sessions {
  private Sessions() {}

  /** Compiled classes Spark keeps per JVM ({@code spark.sql.codegen.cache.maxEntries}). */
  static final int CODEGEN_CACHE_ENTRIES = 1000;

  /**
   * {@code internal.LocalCatalog}, by name: it extends Delta's classic catalog, so the {@code
   * dbconnect} build (Databricks Connect instead of Spark and Delta) leaves it out.
   */
  static final String LOCAL_CATALOG_CLASS = "io.cdcmedallion.session.internal.LocalCatalog";

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
    // A copied or moved lakehouse: point its metastore at its own tables before Spark reads it.
    LakehouseHome.adopt(lakehouse.directory(), lakehouse.warehouse(), lakehouse.metastore());
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
              .config(catalogKey, LOCAL_CATALOG_CLASS)
              .config("spark.sql.warehouse.dir", lakehouse.warehouse().toUri().toString())
              .config("spark.sql.catalogImplementation", "hive")
              .config(
                  "spark.hadoop.javax.jdo.option.ConnectionURL",
                  "jdbc:derby:;databaseName=" + lakehouse.metastore() + ";create=true")
              .config("spark.hadoop.datanucleus.schema.autoCreateAll", "true")
              .config("spark.hadoop.hive.metastore.schema.verification", "false")
              .config("spark.sql.legacy.createHiveTableByDefault", "false")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              // Spark keeps the 100 classes it compiled last (Janino, ~20 ms each). A run of a few
              // entities (every batch of a stream plans the same queries again) needs more than
              // that, so the same code was compiled again and again; a static conf, read once per
              // JVM.
              .config("spark.sql.codegen.cache.maxEntries", Integer.toString(CODEGEN_CACHE_ENTRIES))
              .enableHiveSupport()
              .getOrCreate();
      // Touch the metastore now, so a locked lakehouse fails here with a clear message.
      session.sql("SHOW DATABASES").collect();
      requireOwnTables(session, lakehouse);
      return session;
    } catch (RuntimeException e) {
      if (causedByDerbyLock(e)) {
        throw Errors.lakehouseInUse(lakehouse.directory().toString());
      }
      throw e;
    }
  }

  /**
   * Refuses a lakehouse whose metastore still names a schema outside its own warehouse: every write
   * there would go to another lakehouse. {@link LakehouseHome} rewrites the locations of a copy;
   * this is the check that nothing was left over.
   */
  private static void requireOwnTables(SparkSession session, LocalLakehouse lakehouse) {
    for (Database database : session.catalog().listDatabases().collectAsList()) {
      String location = database.locationUri();
      if (location == null || !location.startsWith("file:")) {
        continue;
      }
      Path path = Path.of(URI.create(location).getPath()).normalize();
      if (!path.startsWith(lakehouse.warehouse())) {
        session.stop();
        throw Errors.lakehouseNotSelfContained(
            lakehouse.directory().toString(), database.name(), path.toString());
      }
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

  /**
   * Which session a job gets: the runtime's own inside Databricks ({@code
   * DATABRICKS_RUNTIME_VERSION} set); Databricks Connect when asked for ({@code --connect}), or
   * when Databricks Connect is on the classpath (the {@code dbconnect} build) and a workspace is
   * configured ({@code DATABRICKS_HOST} or {@code DATABRICKS_CONFIG_PROFILE}); else local.
   */
  public static SessionKind kind(boolean connectRequested, Map<String, String> env) {
    return kind(connectRequested, Optional.empty(), env);
  }

  /** As {@link #kind(boolean, Map)}, with a Spark Connect server URL ({@code --remote}) first. */
  public static SessionKind kind(
      boolean connectRequested, Optional<String> remote, Map<String, String> env) {
    return kind(connectRequested, remote, env, System.getProperty("spark.master") != null);
  }

  /**
   * As {@link #kind(boolean, Optional, Map)}; {@code sparkSubmitted} tells that spark-submit
   * started this JVM (it sets {@code spark.master} and the other {@code --conf}s as system
   * properties), so the job uses the session spark-submit configured.
   */
  public static SessionKind kind(
      boolean connectRequested,
      Optional<String> remote,
      Map<String, String> env,
      boolean sparkSubmitted) {
    if (isSet(env, "DATABRICKS_RUNTIME_VERSION")) {
      return SessionKind.DATABRICKS_RUNTIME;
    }
    if (sparkSubmitted && remote.isEmpty() && !connectRequested) {
      return SessionKind.SPARK_SUBMIT;
    }
    if (remote.isPresent()) {
      return SessionKind.SPARK_CONNECT;
    }
    if (connectRequested) {
      return SessionKind.DATABRICKS_CONNECT;
    }
    boolean workspaceConfigured =
        isSet(env, "DATABRICKS_HOST") || isSet(env, "DATABRICKS_CONFIG_PROFILE");
    return workspaceConfigured && DatabricksConnect.available()
        ? SessionKind.DATABRICKS_CONNECT
        : SessionKind.LOCAL;
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  /**
   * The session a Databricks job or notebook already has, or the one spark-submit configured (its
   * master and {@code --conf}s are system properties).
   */
  public static SparkSession databricksRuntime() {
    return SparkSession.builder().getOrCreate();
  }

  /**
   * A Databricks Connect session (credentials from the Databricks SDK's default chain, never
   * logged) with the classes holding {@code jobClasses} uploaded, so the server runs the same code.
   */
  public static SparkSession databricksConnect(
      ConnectSettings settings, List<Class<?>> jobClasses) {
    SparkSession spark = DatabricksConnect.session(settings);
    DatabricksConnect.uploadClasses(spark, jobClasses);
    return spark;
  }

  /**
   * A session on a Spark Connect server (open-source, {@code sc://host:port}) with the classes
   * holding {@code jobClasses} uploaded. Needs the Spark Connect client on the classpath instead of
   * spark-sql (see ConnectIntegrationTest).
   */
  public static SparkSession sparkConnect(String url, List<Class<?>> jobClasses) {
    SparkSession spark = SparkSession.builder().remote(url).getOrCreate();
    DatabricksConnect.uploadClasses(spark, jobClasses);
    return spark;
  }

  /**
   * Opens the session of this kind; {@code lakehouse} is used only for {@link SessionKind#LOCAL}.
   */
  public static SparkSession open(
      SessionKind kind,
      LocalLakehouse lakehouse,
      ConnectSettings connect,
      List<Class<?>> jobClasses) {
    return switch (kind) {
      case DATABRICKS_RUNTIME, SPARK_SUBMIT -> databricksRuntime();
      case DATABRICKS_CONNECT -> databricksConnect(connect, jobClasses);
      case SPARK_CONNECT -> sparkConnect(connect.remote().orElseThrow(), jobClasses);
      case LOCAL -> local(lakehouse);
    };
  }
}
