package io.cdcmedallion.session;

/** Where a job's Spark session comes from; {@link Sessions#kind} picks one. */
public enum SessionKind {
  /** Inside a Databricks job or notebook: the runtime's own session. */
  DATABRICKS_RUNTIME,
  /** From a laptop or IDE to a workspace, through Databricks Connect. */
  DATABRICKS_CONNECT,
  /** Embedded Spark and Delta on a local lakehouse directory. */
  LOCAL
}
