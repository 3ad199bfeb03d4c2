package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.testing.History;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Incremental silver: only new changes, newest event wins, tombstones, exactly-once replays. */
class IncrementalSilverTest extends SilverTestBase {
  private static final String DDL = "id INT, status STRING";

  private static History history() {
    return History.cookbook(DDL);
  }

  private static void append(EntityConfig entity, History events) {
    Tables.append(spark, events.toDataset(spark), config(entity).historyTable(entity));
  }

  private static IncrementalResult incremental(
      EntityConfig entity, IncrementalOptions options, List<SilverBatch> batches) {
    return new IncrementalSilver(spark, config(entity), options, batches::add).run(entity);
  }

  /** What a full refresh computes from all of bronze now, without writing anything. */
  private static Dataset<Row> fullRefreshOf(EntityConfig entity) {
    PipelineConfig config = config(entity);
    BronzeHistory bronze = BronzeHistory.read(spark, config, entity);
    return CurrentState.currentRows(
        bronze.layout(), CurrentState.latestEvents(bronze, bronze.validRows()));
  }

  @Test
  void appliesOnlyNewChangesAndNeverMovesARowBackwards() {
    EntityConfig entity = EntityConfig.of("basic", "id");
    history()
        .insert(10, 1, "new")
        .insert(11, 2, "new")
        .writeTo(spark, config(entity).historyTable(entity));
    List<SilverBatch> batches = new ArrayList<>();

    IncrementalResult first = incremental(entity, IncrementalOptions.availableNow(), batches);

    assertThat(first.batches()).as("first run is a full refresh").isZero();
    assertDatasetEquals(rowsOf(DDL, row(1, "new"), row(2, "new")), silver(entity));

    append(
        entity,
        history()
            .update(20, row(1, "new"), row(1, "paid"))
            .update(9, row(2, "old"), row(2, "older")) // out of order: older than silver's row
            .delete(21, 2, "new")
            .insert(22, 3, "new"));
    IncrementalResult second = incremental(entity, IncrementalOptions.availableNow(), batches);

    assertDatasetEquals(rowsOf(DDL, row(1, "paid"), row(3, "new")), silver(entity));
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
    assertThat(batches)
        .extracting(
            SilverBatch::rowsRead, SilverBatch::upserted, SilverBatch::deleted, SilverBatch::stale)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, 2L, 1L, 0L));
    assertThat(second.batches()).isEqualTo(1);

    // An insert older than the delete arrives late: the tombstone keeps key 2 deleted; a replayed
    // old event for key 1 is stale too.
    append(entity, history().insert(15, 2, "zombie").insert(10, 1, "new"));
    incremental(entity, IncrementalOptions.availableNow(), batches);

    assertDatasetEquals(rowsOf(DDL, row(1, "paid"), row(3, "new")), silver(entity));
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
    assertThat(batches.get(1))
        .extracting(
            SilverBatch::rowsRead, SilverBatch::upserted, SilverBatch::deleted, SilverBatch::stale)
        .containsExactly(2L, 0L, 0L, 2L);
  }
}
