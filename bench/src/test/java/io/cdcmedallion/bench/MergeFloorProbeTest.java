package io.cdcmedallion.bench;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.internal.CdcState;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The probe of BENCHMARKS.md's eleventh round of issue 15 times statements that do the work. */
class MergeFloorProbeTest extends BenchSparkTest {
  @Test
  void everyStatementAppliesTheSameBatchAndTheTablesAreRestoredAfterIt() {
    PipelineConfig config = BenchHistory.pipeline();
    EntityConfig entity = config.entities().get(0);

    List<MergeFloorProbe.Timing> timings = MergeFloorProbe.run(spark, 2_000, 1);

    assertThat(timings).extracting(MergeFloorProbe.Timing::repetition).containsOnly(1);
    Map<String, List<Long>> rows =
        timings.stream()
            .collect(
                Collectors.groupingBy(
                    MergeFloorProbe.Timing::name,
                    Collectors.mapping(MergeFloorProbe.Timing::rows, Collectors.toList())));
    assertThat(rows)
        .containsOnlyKeys(
            "cookbook", "full-refresh", "peer", "state", "narrow", "narrow-read", "silver");
    // Both full builds read the history with the batch, and agree.
    assertThat(rows.get("full-refresh")).hasSize(1).isEqualTo(rows.get("cookbook"));
    TableName silver = config.silverTable(entity);
    long latestEvents =
        Tables.count(spark, MergeFloorProbe.probeTable(silver, "probe_batch_state"));
    TableName raw = MergeFloorProbe.probeTable(silver, "probe_batch_raw");
    assertThat(latestEvents).as("the batch's latest events").isPositive();
    // Every event of the batch is newer than the state's: each state write takes all of them, and
    // the narrow read finds all of them.
    assertThat(rows.get("state")).containsOnly(latestEvents);
    assertThat(rows.get("narrow")).containsOnly(latestEvents);
    assertThat(rows.get("narrow-read")).containsOnly(latestEvents);
    // The peer and ours change the same silver rows: inserts, updates with new values, deletes.
    assertThat(rows.get("silver")).hasSize(1).doesNotContain(0L).isEqualTo(rows.get("peer"));
    // Restored: silver holds none of the keys the batch inserted, the state no row of batch 1,
    // the history none of the batch's rows.
    long inserted = spark.table(raw.quoted()).filter(col("_change_type").equalTo("insert")).count();
    assertThat(inserted).isPositive();
    assertThat(
            spark
                .table(raw.quoted())
                .filter(col("_change_type").equalTo("insert"))
                .join(spark.table(silver.quoted()), "id")
                .count())
        .isZero();
    assertThat(
            spark
                .table(CdcState.tableFor(silver).quoted())
                .filter(col(CdcState.BATCH).equalTo(1))
                .count())
        .isZero();
    assertThat(
            spark
                .table(config.historyTable(entity).quoted())
                .join(spark.table(raw.quoted()).select("_lsn"), "_lsn")
                .count())
        .isZero();
  }
}
