package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.internal.CdcState;
import io.cdcmedallion.silver.internal.FaultPoint;
import io.cdcmedallion.testing.History;
import java.time.Duration;
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

    assertThat(first.rebuilt()).as("first run is a full refresh").isTrue();
    assertThat(first.batches()).isZero();
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
    assertThat(
            rows("SELECT id, status FROM main.silver.silver_basic__cdc_state WHERE __cdcm_deleted"))
        .as("the delete is kept as a tombstone, outside silver")
        .extracting(Row::toString)
        .containsExactly("[2,new]");
    assertThat(batches)
        .extracting(
            SilverBatch::rowsRead, SilverBatch::upserted, SilverBatch::deleted, SilverBatch::stale)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, 2L, 1L, 0L));
    assertThat(second.batches()).isEqualTo(1);
    assertThat(second.rebuilt()).isFalse();

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

    // A full refresh (what --full-refresh runs) starts a new checkpoint after the bronze version
    // it read: the next incremental run reads only what is appended later.
    String generation = stateProperty(entity, "cdcm.generation");
    runSilver(entity);
    assertThat(stateProperty(entity, "cdcm.generation")).isNotEqualTo(generation);
    append(entity, history().insert(30, 4, "new"));
    batches.clear();
    incremental(entity, IncrementalOptions.availableNow(), batches);

    assertThat(batches).extracting(SilverBatch::rowsRead).containsExactly(1L);
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
  }

  private static String stateProperty(EntityConfig entity, String key) {
    return rows("SHOW TBLPROPERTIES main.silver.silver_" + entity.name() + "__cdc_state").stream()
        .filter(r -> r.getString(0).equals(key))
        .map(r -> r.getString(1))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aFullRefreshThatStopsBetweenTheStateAndSilverIsFinishedByTheNextIncrementalRun() {
    EntityConfig entity = EntityConfig.of("halfway", "id");
    history()
        .insert(10, 1, "new")
        .insert(11, 2, "new")
        .writeTo(spark, config(entity).historyTable(entity));
    new SilverJob(spark, config(entity)).run(entity);
    TableName silver = config(entity).silverTable(entity);
    long refreshed = Tables.currentVersion(spark, silver).getAsLong();
    incremental(entity, IncrementalOptions.availableNow(), new ArrayList<>());
    assertThat(Tables.currentVersion(spark, silver).getAsLong())
        .as("after a whole full refresh, an incremental run with nothing new leaves silver alone")
        .isEqualTo(refreshed);
    // A constraint a user put on silver makes the next full refresh fail at silver's write, after
    // the state's: the same tables as a crash between the two writes.
    spark.sql(
        "ALTER TABLE " + silver.quoted() + " ADD CONSTRAINT not_lost CHECK (status <> 'lost')");
    append(
        entity,
        history()
            .update(20, row(1, "new"), row(1, "lost"))
            .delete(21, 2, "new")
            .insert(22, 3, "new"));

    assertThatThrownBy(() -> new SilverJob(spark, config(entity)).run(entity))
        .hasMessageContaining("not_lost");
    assertDatasetEquals(rowsOf(DDL, row(1, "new"), row(2, "new")), silver(entity));
    assertThat(rows("SELECT id FROM main.silver.silver_halfway__cdc_state WHERE __cdcm_deleted"))
        .as("the state was written: key 2's delete is its tombstone")
        .extracting(Row::toString)
        .containsExactly("[2]");

    spark.sql("ALTER TABLE " + silver.quoted() + " DROP CONSTRAINT not_lost");
    IncrementalResult next =
        incremental(entity, IncrementalOptions.availableNow(), new ArrayList<>());

    assertThat(next.batches()).as("bronze has nothing past the full refresh").isZero();
    assertDatasetEquals(rowsOf(DDL, row(1, "lost"), row(3, "new")), silver(entity));
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
    long finished = Tables.currentVersion(spark, silver).getAsLong();
    incremental(entity, IncrementalOptions.availableNow(), new ArrayList<>());
    assertThat(Tables.currentVersion(spark, silver).getAsLong())
        .as("finished once: the next run leaves silver alone")
        .isEqualTo(finished);
  }

  @Test
  void aCrashAtAnyPointFollowedByARerunGivesTheUninterruptedResult() {
    EntityConfig entity = EntityConfig.of("faults", "id");
    history()
        .insert(10, 1, "a")
        .insert(10, 2, "a")
        .writeTo(spark, config(entity).historyTable(entity));
    List<SilverBatch> batches = new ArrayList<>();
    incremental(entity, IncrementalOptions.availableNow(), batches);
    List<String> expected = new ArrayList<>();
    int lsn = 20;
    for (FaultPoint point : FaultPoint.values()) {
      String status = point.name().toLowerCase(java.util.Locale.ROOT);
      append(
          entity,
          history()
              .update(lsn, row(1, "x"), row(1, status))
              .delete(lsn + 1, 2, "a")
              .insert(lsn + 2, 2, status)
              .insert(lsn + 3, 10 + lsn, status)
              .insert(5, 2, "late"));
      expected.add("[" + (10 + lsn) + "," + status + "]");
      IncrementalSilver.failOnceAt(point);

      assertThatThrownBy(() -> incremental(entity, IncrementalOptions.availableNow(), batches))
          .hasMessageContaining("injected fault at " + point);
      batches.clear();
      incremental(entity, IncrementalOptions.availableNow(), batches);

      List<String> want = new ArrayList<>(expected);
      want.add("[1," + status + "]");
      want.add("[2," + status + "]");
      assertThat(silver(entity).collectAsList())
          .as("after a crash at %s and a rerun", point)
          .extracting(Row::toString)
          .containsExactlyInAnyOrderElementsOf(want);
      assertThat(batches).as("the rerun replays the failed batch only").hasSize(1);
      if (point == FaultPoint.BEFORE_CHECKPOINT_COMMIT) {
        assertThat(batches.get(0))
            .as("a replayed batch that was fully applied changes nothing")
            .extracting(SilverBatch::upserted, SilverBatch::deleted, SilverBatch::stale)
            .containsExactly(0L, 0L, 3L);
      }
      lsn += 10;
    }
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
  }

  /**
   * The state {@code MERGE} records whether a newer event changes silver, and silver's {@code
   * MERGE} takes only those rows: a newer event with the same values, or a delete of a key silver
   * does not hold, leaves silver's rows as they were.
   */
  @Test
  void aNewerEventThatChangesNothingSilverHoldsLeavesItsRowsAlone() {
    EntityConfig entity = EntityConfig.of("same", "id");
    history()
        .insert(10, 1, "a")
        .insert(10, 2, "a")
        .insert(10, 3, "a")
        .delete(11, 3, "a")
        .writeTo(spark, config(entity).historyTable(entity));
    List<SilverBatch> batches = new ArrayList<>();
    incremental(entity, IncrementalOptions.availableNow(), batches);

    append(
        entity,
        history()
            .update(20, row(1, "a"), row(1, "a"))
            .update(21, row(2, "a"), row(2, "b"))
            .delete(22, 3, "a")
            .insert(23, 4, "a"));
    incremental(entity, IncrementalOptions.availableNow(), batches);

    assertThat(batches)
        .as("upserted, deleted, stale: key 2 updated and key 4 inserted; keys 1 and 3 unchanged")
        .extracting(SilverBatch::upserted, SilverBatch::deleted, SilverBatch::stale)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 0L, 0L));
    assertDatasetEquals(rowsOf(DDL, row(1, "a"), row(2, "b"), row(4, "a")), silver(entity));
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
    Row merge =
        spark
            .sql("DESCRIBE HISTORY main.silver.silver_same")
            .where("operation = 'MERGE'")
            .selectExpr(
                "operationMetrics['numSourceRows']", "operationMetrics['numTargetRowsUpdated']")
            .first();
    assertThat(List.of(merge.getString(0), merge.getString(1)))
        .as("silver's MERGE: source rows, rows updated")
        .containsExactly("2", "1");
  }

  @Test
  void aBatchRewritesTheRowsItChangesNotTheFilesTheyLiveIn() {
    EntityConfig entity = EntityConfig.of("narrow", "id");
    History start = history();
    for (int id = 1; id <= 40; id++) {
      start.insert(10, id, "new");
    }
    start.writeTo(spark, config(entity).historyTable(entity));
    List<SilverBatch> batches = new ArrayList<>();
    incremental(entity, IncrementalOptions.availableNow(), batches);

    append(entity, history().update(20, row(7, "new"), row(7, "paid")));
    incremental(entity, IncrementalOptions.availableNow(), batches);

    assertDatasetEquals(fullRefreshOf(entity), silver(entity));
    for (String table : List.of("silver_narrow", "silver_narrow__cdc_state")) {
      Row merge =
          spark
              .sql("DESCRIBE HISTORY main.silver." + table)
              .where("operation = 'MERGE'")
              .orderBy(org.apache.spark.sql.functions.col("version").desc())
              .selectExpr(
                  "operationMetrics['numTargetRowsUpdated']",
                  "operationMetrics['numTargetRowsCopied']")
              .first();
      assertThat(List.of(merge.getString(0), merge.getString(1)))
          .as("%s: rows updated and unchanged rows rewritten by the batch's MERGE", table)
          .containsExactly("1", "0");
    }
  }

  /**
   * The MERGE into silver reads the state rows of its batch by {@code __cdcm_batch}, which Delta
   * can skip files by only while it has statistics on it; by default it keeps them for the first 32
   * columns, and the batch column comes after every data column.
   */
  @Test
  void aWideTablesStateKeepsTheStatisticsTheMergeIntoSilverSkipsFilesBy() {
    EntityConfig entity = EntityConfig.of("wide", "id");
    List<String> ddl = new ArrayList<>(List.of("id INT"));
    for (int c = 1; c <= 34; c++) {
      ddl.add("c" + c + " STRING");
    }
    History wide = History.cookbook(String.join(", ", ddl));
    wide.insert(10, wideRow(1, "new")).writeTo(spark, config(entity).historyTable(entity));
    List<SilverBatch> batches = new ArrayList<>();
    incremental(entity, IncrementalOptions.availableNow(), batches);
    TableName state = CdcState.tableFor(config(entity).silverTable(entity));
    assertThat(batchStatistics(state)).as("the full refresh's files").containsOnly("-1");

    // A state table from before this setting: the next incremental run brings it.
    spark.sql(
        "ALTER TABLE "
            + state.quoted()
            + " UNSET TBLPROPERTIES ('delta.dataSkippingStatsColumns')");
    Tables.append(
        spark,
        History.cookbook(String.join(", ", ddl))
            .update(20, wideRow(1, "new"), wideRow(1, "paid"))
            .insert(21, wideRow(2, "new"))
            .toDataset(spark),
        config(entity).historyTable(entity));
    incremental(entity, IncrementalOptions.availableNow(), batches);

    assertThat(batchStatistics(state)).as("the batch's files").containsOnly("0");
    assertThat(rows("SELECT id, c1, c34 FROM main.silver.silver_wide ORDER BY id"))
        .extracting(Row::toString)
        .containsExactly("[1,paid,paid]", "[2,new,new]");
  }

  private static Object[] wideRow(int id, String value) {
    Object[] values = new Object[35];
    values[0] = id;
    java.util.Arrays.fill(values, 1, values.length, value);
    return values;
  }

  /**
   * The least {@code __cdcm_batch} in the statistics of each file the table's last commit added.
   */
  private static List<String> batchStatistics(TableName table) {
    String location =
        spark.sql("DESCRIBE DETAIL " + table.quoted()).select("location").first().getString(0);
    long version = Tables.currentVersion(spark, table).getAsLong();
    return spark
        .read()
        .json(String.format("%s/_delta_log/%020d.json", location, version))
        .where("add IS NOT NULL")
        .selectExpr("coalesce(get_json_object(add.stats, '$.minValues.__cdcm_batch'), 'none')")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  @Test
  void pastTheRetentionATombstoneIsGoneAndALateOlderEventBringsTheKeyBack() {
    EntityConfig entity = EntityConfig.of("retention", "id");
    history().insert(10, 1, "a").writeTo(spark, config(entity).historyTable(entity));
    IncrementalOptions noRetention =
        IncrementalOptions.availableNow().withTombstoneRetention(Duration.ZERO);
    List<SilverBatch> batches = new ArrayList<>();
    incremental(entity, noRetention, batches);
    append(entity, history().delete(20, 1, "a"));
    incremental(entity, noRetention, batches);
    assertThat(silver(entity).count()).isZero();

    append(entity, history().insert(15, 1, "late"));
    incremental(entity, noRetention, batches);

    assertDatasetEquals(rowsOf(DDL, row(1, "late")), silver(entity));
    assertThat(fullRefreshOf(entity).count()).as("a full refresh still sees the delete").isZero();
  }

  @Test
  void anAddedBronzeColumnAppearsInSilverAndADroppedOneAsksForAFullRefresh() {
    EntityConfig entity = EntityConfig.of("evolve", "id");
    TableName bronze = config(entity).historyTable(entity);
    history().insert(10, 1, "a").insert(10, 2, "a").writeTo(spark, bronze);
    List<SilverBatch> batches = new ArrayList<>();
    incremental(entity, IncrementalOptions.availableNow(), batches);
    append(entity, history().update(20, row(1, "a"), row(1, "b")));
    incremental(entity, IncrementalOptions.availableNow(), batches);

    spark.sql("ALTER TABLE " + bronze.quoted() + " ADD COLUMNS (note STRING)");
    append(entity, History.cookbook("id INT, status STRING, note STRING").insert(30, 3, "c", "hi"));
    incremental(entity, IncrementalOptions.availableNow(), batches);

    assertDatasetEquals(
        rowsOf(
            "id INT, status STRING, note STRING",
            row(1, "b", null),
            row(2, "a", null),
            row(3, "c", "hi")),
        silver(entity));
    assertDatasetEquals(fullRefreshOf(entity), silver(entity));

    history().insert(40, 4, "d").writeTo(spark, bronze);
    assertThatThrownBy(() -> incremental(entity, IncrementalOptions.availableNow(), batches))
        .hasMessage(
            "The bronze schema of entity 'evolve' changed in a way incremental silver cannot apply to main.silver.silver_evolve (column(s) note no longer in bronze). Rerun silver with --mode incremental --full-refresh --entity evolve to rebuild it from all history.");
  }

  @Test
  @org.junit.jupiter.api.Timeout(600)
  void continuousTriggerAppliesChangesAsTheyArriveUntilStopped() throws Exception {
    EntityConfig entity = EntityConfig.of("continuous", "id");
    history().insert(10, 1, "a").writeTo(spark, config(entity).historyTable(entity));
    List<SilverBatch> batches = java.util.Collections.synchronizedList(new ArrayList<>());
    incremental(entity, IncrementalOptions.availableNow(), batches);
    List<IncrementalResult> result = new ArrayList<>();
    Thread runner =
        new Thread(
            () ->
                result.add(
                    incremental(
                        entity,
                        IncrementalOptions.availableNow().continuousEvery(Duration.ofMillis(200)),
                        batches)));
    runner.start();
    // Appended while the run starts with nothing new: it must pick the change up.
    append(entity, history().update(20, row(1, "a"), row(1, "b")));
    for (int waited = 0; batches.isEmpty() && runner.isAlive() && waited < 3000; waited++) {
      Thread.sleep(100);
    }
    while (runner.isAlive()) {
      for (var query : spark.streams().active()) {
        query.stop();
      }
      runner.join(200);
    }

    assertThat(result).as("the run ends without error when its query is stopped").hasSize(1);
    assertThat(result.get(0).batches()).isEqualTo(1);
    assertDatasetEquals(rowsOf(DDL, row(1, "b")), silver(entity));
  }
}
