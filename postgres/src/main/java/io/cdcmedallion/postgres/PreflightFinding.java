package io.cdcmedallion.postgres;

/**
 * One reason a table is not ready for Lakehouse Sync.
 *
 * @param table schema-qualified table name
 * @param check which check found it
 * @param problem what is wrong
 * @param fix what to do about it (SQL where there is a one-statement fix)
 */
public record PreflightFinding(String table, Check check, String problem, String fix) {
  /** The preflight checks. */
  public enum Check {
    NOT_FOUND("table"),
    REPLICA_IDENTITY("replica identity"),
    UNSUPPORTED_TYPE("column type"),
    NO_PRIMARY_KEY("primary key"),
    PARTITIONED("partitioning");

    private final String label;

    Check(String label) {
      this.label = label;
    }

    /** The check's name as printed. */
    public String label() {
      return label;
    }
  }
}
