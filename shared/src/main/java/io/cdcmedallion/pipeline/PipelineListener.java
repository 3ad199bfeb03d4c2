package io.cdcmedallion.pipeline;

import io.cdcmedallion.gold.GoldResult;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.quality.QualityReport;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.SilverBatch;
import io.cdcmedallion.silver.SilverResult;

/** Hears about each started and finished step of a pipeline run, e.g. to print progress lines. */
public interface PipelineListener {
  /**
   * Called before a step starts on one entity or gold table.
   *
   * @param step {@code silver} or {@code gold}
   * @param name the entity or gold table
   * @param target the table the step writes
   */
  default void started(String step, String name, TableName target) {}

  /** Called after each silver table is written. */
  default void silverDone(SilverResult result) {}

  /** Called after each micro-batch of incremental silver. */
  default void silverBatchDone(SilverBatch batch) {}

  /** Called when incremental silver of one entity has stopped. */
  default void silverIncrementalDone(IncrementalResult result) {}

  /** Called after each gold table is written. */
  default void goldDone(GoldResult result) {}

  /**
   * Called after a step whose rows were checked by expectations (every silver step: the contract
   * checks; gold tables that declare expectations).
   *
   * @param name entity or gold table name
   * @param quarantine the table that receives rows dropped by {@code drop} expectations
   */
  default void qualityChecked(String name, TableName quarantine, QualityReport report) {}

  /**
   * Called when the step of one entity failed and the run goes on with the others (incremental
   * silver); the run fails with the first such error once all have run.
   */
  default void stepFailed(String step, String name, RuntimeException error) {}

  /** A listener that ignores everything. */
  static PipelineListener none() {
    return new PipelineListener() {};
  }
}
