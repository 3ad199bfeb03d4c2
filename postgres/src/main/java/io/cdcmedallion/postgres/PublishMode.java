package io.cdcmedallion.postgres;

/** How {@link PostgresPublish} brings a Postgres table up to date with a gold table. */
public enum PublishMode {
  /** Load a new table and swap it in by rename, in one transaction. */
  SNAPSHOT,
  /** Upsert the rows that changed and delete the rows that vanished, in one transaction. */
  TRIGGERED
}
