package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.HistoryLayout;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.config.TiePolicy;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.CheckedRows;
import io.cdcmedallion.quality.Expectations;
import io.cdcmedallion.quality.QualityReport;
import io.cdcmedallion.quality.Quarantine;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.session.DatasetCache;
import io.cdcmedallion.silver.internal.CdcState;
import io.cdcmedallion.silver.internal.HelperColumns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Full-refresh silver build of one entity (the cookbook's materialized view): check the bronze
 * contract, set aside or reject invalid rows, compute the current state, and replace {@code
 * silver_<entity>} in one commit; with {@code scd: 2}, replace {@code silver_<entity>_history}
 * ({@link Scd2History}) in one commit too. The incremental state table ({@link CdcState}) is
 * written first, and silver from it.
 */
public final class SilverJob {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final RunContext run;

  public SilverJob(SparkSession spark, PipelineConfig config) {
    this(spark, config, RunContext.start("api"));
  }

  /**
   * @param run the run this build belongs to: its id marks quarantined rows, and the build records
   *     its {@link io.cdcmedallion.quality.QualityReport} there under the silver table's name
   */
  public SilverJob(SparkSession spark, PipelineConfig config, RunContext run) {
    this.spark = spark;
    this.config = config;
    this.run = run;
  }

  /** Builds the silver table of {@code entity}. */
  public SilverResult run(EntityConfig entity) {
    long start = System.nanoTime();
    TableName target = config.silverTable(entity);
    try {
      BronzeHistory history = BronzeHistory.read(spark, config, entity);
      HistoryLayout layout = history.layout();
      // Contract checks and expectations in one aggregation; everything is checked before the
      // first write, so a failing check leaves silver and the quarantine as they were.
      Expectations checks = SilverExpectations.of(config, entity, history);
      checks.requireResolvable(history.rows());
      List<String> tracked =
          entity.scd() == ScdType.TYPE_2
              ? Scd2History.trackedColumns(entity, layout, config.source())
              : null;
      CheckedRows checked = checks.apply(history.rows());
      QualityReport quality = checked.report();
      run.record(target.toString(), quality);
      SilverExpectations.requireNoFailures(checked, history, config, entity);
      Quarantine.append(spark, checked, config.quarantineTable(entity), run.runId());

      // The state first, from the latest event per key, then silver from the state: bronze is
      // aggregated once and nothing is cached in between (a Spark Connect session cannot cache).
      // A crash between the two leaves a state that silver was not replaced from; the next
      // incremental run sees it (CdcState.holdsGeneration) and replaces silver from the state.
      Dataset<Row> latest = CurrentState.latestEvents(history, checked.kept());
      boolean tiesFail = entity.onTie() == TiePolicy.FAIL;
      DatasetCache cache = DatasetCache.forSession(spark);
      if (tiesFail) {
        // The tie check reads the latest events before the first write, the state after it.
        latest = cache.keep(latest);
      }
      long ties;
      long current;
      try {
        if (tiesFail) {
          failOnTies(entity, layout, latest);
        }
        if (tracked != null) {
          // Before the state: a crash in between leaves the old checkpoint, whose replay
          // recomputes the history of every key it touches from all of bronze again.
          Tables.replaceMergeTarget(
              spark,
              Scd2History.versions(history, checked.kept(), tracked),
              Scd2History.tableFor(target));
        }
        TableName state = CdcState.tableFor(target);
        String generation =
            CdcState.replace(
                spark,
                CdcState.rows(layout, history.sequenceWidth(), latest, CdcState.FULL_REFRESH_BATCH),
                state,
                layout.keys(),
                nextVersion(history.version()),
                entity.cdc().fingerprint());
        // Ties and silver's row count come with silver's write from the state: no second pass.
        CdcState.Counts counts =
            CdcState.replaceSilver(spark, layout.dataColumns(), state, target, generation);
        ties = counts.ties();
        current = counts.current();
      } finally {
        if (tiesFail) {
          cache.release(latest);
        }
      }
      return new SilverResult(
          entity.name(),
          target,
          layout.shape(),
          history.version(),
          quality.rowsIn(),
          quality.rowsQuarantined(),
          current,
          ties,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (MedallionException e) {
      throw e;
    } catch (Exception e) {
      // Not only RuntimeException: Scala code throws checked exceptions (SparkException when a
      // task fails, AnalysisException) without declaring them.
      throw Errors.stepFailed("silver " + entity.name(), target.toString(), e);
    }
  }

  private static OptionalLong nextVersion(OptionalLong version) {
    return version.isPresent() ? OptionalLong.of(version.getAsLong() + 1) : OptionalLong.empty();
  }

  private void failOnTies(EntityConfig entity, HistoryLayout layout, Dataset<Row> latest) {
    Column[] keys = layout.keys().stream().map(k -> col(k)).toArray(Column[]::new);
    Row tied =
        latest
            .filter(col(HelperColumns.TIE_COLUMN))
            .agg(count(lit(1)), slice(collect_list(struct(keys)), 1, 5))
            .first();
    long count = tied.getLong(0);
    if (count == 0) {
      return;
    }
    List<String> examples = new ArrayList<>();
    for (Row key : tied.<Row>getList(1)) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < layout.keys().size(); i++) {
        parts.add(layout.keys().get(i) + "=" + key.get(i));
      }
      examples.add(String.join(" ", parts));
    }
    throw Errors.tiesFound(
        layout.table().toString(),
        entity.name(),
        count,
        "e.g. " + String.join(", ", examples),
        config.source());
  }
}
