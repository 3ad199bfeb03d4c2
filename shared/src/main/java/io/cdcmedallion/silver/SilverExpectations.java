package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.not;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.ContractReport;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.InvalidRowPolicy;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.quality.CheckedRows;
import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.quality.ExpectationAction;
import io.cdcmedallion.quality.Expectations;
import io.cdcmedallion.quality.QualityReport;
import org.apache.spark.sql.Column;

/**
 * The checks silver runs on bronze history rows, as one {@link Expectations}: the three contract
 * checks (null key, null or unreadable LSN, unknown change type; action {@code fail}, or {@code
 * drop} with {@code on_invalid_rows: quarantine}) on every row, then the entity's configured
 * expectations on the rows that carry a row state ({@code insert} and {@code update_postimage}):
 * deletes and pre-images are neither checked nor dropped.
 *
 * <p>Full refresh and incremental silver use it the same way, once per run or per micro-batch:
 *
 * <pre>
 * BronzeHistory history = BronzeHistory.of(batch, table, entity, config.source());
 * Expectations checks = SilverExpectations.of(config, entity, history);
 * checks.requireResolvable(batch);                       // once, before the first batch
 * CheckedRows checked = checks.apply(batch);
 * SilverExpectations.requireNoFailures(checked, history, config, entity);
 * Quarantine.append(spark, checked, config.quarantineTable(entity), run.runId());
 * run.record(config.silverTable(entity).toString(), checked.report());   // sums per run
 * ... merge checked.kept() ...
 * </pre>
 */
public final class SilverExpectations {
  /** Contract check: no key column is null. */
  public static final String NULL_KEY = ConfigLoader.CONTRACT_PREFIX + "null_key";

  /** Contract check: the LSN is present and readable. */
  public static final String NULL_SEQUENCE = ConfigLoader.CONTRACT_PREFIX + "null_sequence";

  /** Contract check: the change type is one of the four known values. */
  public static final String UNKNOWN_CHANGE_TYPE =
      ConfigLoader.CONTRACT_PREFIX + "unknown_change_type";

  private SilverExpectations() {}

  /** The contract checks and the configured expectations of {@code entity}. */
  public static Expectations of(PipelineConfig config, EntityConfig entity, BronzeHistory history) {
    HistoryLayout layout = history.layout();
    ExpectationAction contract =
        entity.onInvalidRows() == InvalidRowPolicy.QUARANTINE
            ? ExpectationAction.DROP
            : ExpectationAction.FAIL;
    String where = config.source() + " (entity " + entity.name() + ", on_invalid_rows)";
    // Soft deletes (apply_as_deletes) are deletes here too: not checked, not dropped.
    Column carriesState =
        history.changeType().isin(ChangeType.INSERT.value(), ChangeType.UPDATE_POSTIMAGE.value());
    return Expectations.on(layout.table().toString(), layout.keys())
        .withCondition(
            new Expectation(
                NULL_KEY, String.join(", ", layout.keys()) + " not null", contract, where),
            not(history.nullKey()))
        .withCondition(
            new Expectation(
                NULL_SEQUENCE, layout.shape().lsnColumn() + " readable", contract, where),
            not(history.nullSequence()))
        .withCondition(
            new Expectation(
                UNKNOWN_CHANGE_TYPE,
                layout.changeTypeColumn() + " in " + ChangeType.allValues(),
                contract,
                where),
            not(history.unknownChangeType()))
        .with(config.quality().forEntity(entity.name()), carriesState);
  }

  /**
   * Throws when a {@code fail} check failed: for the contract checks the message counts the rows of
   * each kind (one more aggregation, only on this path); otherwise it names the expectation, the
   * table and example keys.
   */
  public static void requireNoFailures(
      CheckedRows checked, BronzeHistory history, PipelineConfig config, EntityConfig entity) {
    QualityReport report = checked.report();
    boolean contractFailed =
        report.failures().stream().anyMatch(c -> c.name().startsWith(ConfigLoader.CONTRACT_PREFIX));
    if (contractFailed) {
      ContractReport contract = history.check();
      throw Errors.invalidRows(
          history.layout().table().toString(),
          entity.name(),
          contract.invalidRows(),
          contract.details(),
          config.quarantineTable(entity).toString(),
          config.source());
    }
    checked.requireNoFailures();
  }
}
