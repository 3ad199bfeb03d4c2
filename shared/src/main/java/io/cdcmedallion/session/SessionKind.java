package io.cdcmedallion.session;

/** Where a job's Spark session comes from; {@link Sessions#kind} picks one. */
public enum SessionKind {
  /** Inside a Databricks job or notebook: the runtime's own session. */
  DATABRICKS_RUNTIME,
  /**
   * Started by {@code spark-submit} (system property {@code spark.master} set): the session that
   * spark-submit configured (master, Delta, catalogs, warehouse come from its {@code --conf}s).
   */
  SPARK_SUBMIT,
  /** From a laptop or IDE to a workspace, through Databricks Connect. */
  DATABRICKS_CONNECT,
  /** Any Spark 4 Connect server ({@code sc://host:port}), through the open-source client. */
  SPARK_CONNECT,
  /** Embedded Spark and Delta on a local lakehouse directory. */
  LOCAL
}
