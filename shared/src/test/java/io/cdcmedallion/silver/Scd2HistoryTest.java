package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.QualityConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.config.TrackedColumns;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.quality.ExpectationAction;
import io.cdcmedallion.silver.internal.FaultPoint;
import io.cdcmedallion.testing.History;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** SCD type 2 history: versions by tracked change, in-place updates, deletes, replays. */
class Scd2HistoryTest extends SilverTestBase {
  private static final String DDL = "id INT, status STRING, note STRING";
  private static final String HISTORY_DDL = DDL + ", __START_AT BIGINT, __END_AT BIGINT";

  /** Tracks {@code status} only: a change to {@code note} alone updates the open version. */
  private static EntityConfig entity(String name) {
    return EntityConfig.of(name, "id")
        .withScd(ScdType.TYPE_2, TrackedColumns.only(List.of("status")));
  }

  private static History history() {
    return History.cookbook(DDL);
  }

  private static Dataset<Row> historyTable(EntityConfig entity) {
    return spark.table(Scd2History.tableFor(config(entity).silverTable(entity)).quoted());
  }

  /** The test pipeline with one expectation: rows noted 'bad' are dropped to the quarantine. */
  private static PipelineConfig withExpectation(EntityConfig entity) {
    Expectation notBad =
        new Expectation(
            "not_bad", "coalesce(note, '') <> 'bad'", ExpectationAction.DROP, "test.yml:9");
    return config(entity)
        .withQuality(
            new QualityConfig(Map.of(entity.name(), List.of(notBad)), Map.of(), Optional.empty()));
  }

  /** What a full refresh computes from all of bronze now, without writing anything. */
  private static Dataset<Row> fullRefreshOf(EntityConfig entity) {
    PipelineConfig config = withExpectation(entity);
    BronzeHistory bronze = BronzeHistory.read(spark, config, entity);
    Dataset<Row> kept = SilverExpectations.of(config, entity, bronze).keptRows(bronze.validRows());
    return Scd2History.versions(bronze, kept, List.of("status"));
  }

  private static Dataset<Row> expectedAfterAllEvents() {
    return rowsOf(
        HISTORY_DDL,
        row(1, "new", "b", 10L, 30L), // opened by the insert; note a -> b in place at 20
        row(1, "paid", "b", 30L, 40L), // status changed: new version; closed by the delete
        row(1, "new", "c", 50L, null), // re-inserted: open
        row(2, "new", "x", 15L, null),
        row(3, "new", "y", 12L, 13L));
  }

  /**
   * One readable history through both modes: built incrementally, with a crash between the writes
   * of one batch and one before the checkpoint commit of the next (each followed by a rerun), then
   * rebuilt by a full refresh; then a column is added.
   */
  @Test
  void trackedChangesOpenVersionsOthersUpdateInPlaceDeletesCloseInBothModes() {
    EntityConfig entity = entity("scd");
    TableName bronze = config(entity).historyTable(entity);
    history().insert(10, 1, "new", "a").insert(15, 2, "new", "x").writeTo(spark, bronze);
    IncrementalSilver incremental =
        new IncrementalSilver(
            spark, withExpectation(entity), IncrementalOptions.availableNow(), b -> {});
    incremental.run(entity);

    // A late duplicate of the first insert is delivered with the batch; the update at 25 fails
    // the drop expectation, so it is quarantined and opens no version.
    Tables.append(
        spark,
        history()
            .update(20, row(1, "new", "a"), row(1, "new", "b"))
            .update(25, row(1, "new", "b"), row(1, "void", "bad"))
            .update(30, row(1, "new", "b"), row(1, "paid", "b"))
            .insert(12, 3, "new", "y")
            .delete(13, 3, "new", "y")
            .insert(10, 1, "new", "a")
            .toDataset(spark),
        bronze);
    IncrementalSilver.failOnceAt(FaultPoint.BETWEEN_WRITES);
    assertThatThrownBy(() -> incremental.run(entity))
        .hasMessageContaining("injected fault at BETWEEN_WRITES");
    incremental.run(entity);

    assertDatasetEquals(
        rowsOf(
            HISTORY_DDL,
            row(1, "new", "b", 10L, 30L),
            row(1, "paid", "b", 30L, null),
            row(2, "new", "x", 15L, null),
            row(3, "new", "y", 12L, 13L)),
        historyTable(entity));

    // Delivered out of order: the re-insert before the delete it follows.
    Tables.append(
        spark,
        history().insert(50, 1, "new", "c").delete(40, 1, "paid", "b").toDataset(spark),
        bronze);
    IncrementalSilver.failOnceAt(FaultPoint.BEFORE_CHECKPOINT_COMMIT);
    assertThatThrownBy(() -> incremental.run(entity))
        .hasMessageContaining("injected fault at BEFORE_CHECKPOINT_COMMIT");
    List<Row> beforeReplay = historyTable(entity).collectAsList();
    assertThat(incremental.run(entity).batches()).as("the failed batch is replayed").isEqualTo(1);

    assertDatasetEquals(expectedAfterAllEvents(), historyTable(entity));
    assertThat(historyTable(entity).collectAsList())
        .as("a replay of a fully applied batch changes nothing")
        .containsExactlyInAnyOrderElementsOf(beforeReplay);
    assertDatasetEquals(fullRefreshOf(entity), historyTable(entity));

    // An added bronze column joins the history before __START_AT, null in older versions.
    spark.sql("ALTER TABLE " + bronze.quoted() + " ADD COLUMNS (tag STRING)");
    Tables.append(
        spark,
        History.cookbook(DDL + ", tag STRING")
            .update(60, row(2, "new", "x", null), row(2, "paid", "x", "t"))
            .toDataset(spark),
        bronze);
    incremental.run(entity);

    assertThat(historyTable(entity).columns())
        .containsExactly("id", "status", "note", "tag", "__START_AT", "__END_AT");
    assertThat(
            historyTable(entity).filter("id = 2").orderBy("__START_AT").collectAsList().stream()
                .map(Row::toString))
        .containsExactly("[2,new,x,null,15,60]", "[2,paid,x,t,60,null]");
    assertDatasetEquals(fullRefreshOf(entity), historyTable(entity));

    // A full refresh (what --full-refresh runs) writes the same history; silver holds the open
    // versions.
    List<Row> incrementalRows = historyTable(entity).collectAsList();
    new SilverJob(spark, withExpectation(entity)).run(entity);

    assertThat(historyTable(entity).collectAsList())
        .containsExactlyInAnyOrderElementsOf(incrementalRows);
    assertDatasetEquals(
        rowsOf(DDL + ", tag STRING", row(1, "new", "c", null), row(2, "paid", "x", "t")),
        silver(entity));
  }

  @Test
  void aTrackedColumnThatBronzeDoesNotHaveIsAConfigErrorNamingIt() {
    EntityConfig entity =
        EntityConfig.of("scd_bad", "id")
            .withScd(ScdType.TYPE_2, TrackedColumns.except(List.of("colour")));
    history().insert(10, 1, "new", "a").writeTo(spark, config(entity).historyTable(entity));

    assertThatThrownBy(() -> runSilver(entity))
        .hasMessage(
            "Entity 'scd_bad' in test.yml lists 'colour' in track_history_except_columns, but bronze table main.bronze.lb_scd_bad_history has no such value column (value columns: status, note). Fix track_history_except_columns of entity 'scd_bad' in test.yml.");
    assertThat(Tables.exists(spark, config(entity).silverTable(entity)))
        .as("nothing is written")
        .isFalse();
  }
}
