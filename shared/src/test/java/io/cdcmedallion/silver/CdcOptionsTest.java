package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.testing.History;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The AUTO CDC options of an entity, each on a small history with exact expected rows. {@code
 * SilverReferenceModelTest} checks all of them together, in full refresh and incremental, on random
 * histories.
 */
class CdcOptionsTest extends SilverTestBase {

  private static EntityConfig entity(String name, CdcOptions options) {
    return EntityConfig.of(name, "id").withCdc(options);
  }

  /** What a full refresh computes from all of bronze now, without writing anything. */
  private static Dataset<Row> fullRefreshOf(EntityConfig entity) {
    PipelineConfig config = config(entity);
    BronzeHistory bronze = BronzeHistory.read(spark, config, entity);
    return CurrentState.currentRows(
        bronze.layout(), CurrentState.latestEvents(bronze, bronze.validRows()));
  }

  /**
   * Builds silver incrementally from {@code batches} (the first one as the initial bronze, the
   * others appended one run at a time), then checks that a full refresh over everything gives the
   * same table, and returns the full refresh's result.
   */
  private static SilverResult incrementallyAndInFull(EntityConfig entity, History... batches) {
    TableName bronze = config(entity).historyTable(entity);
    batches[0].writeTo(spark, bronze);
    IncrementalSilver incremental =
        new IncrementalSilver(spark, config(entity), IncrementalOptions.availableNow(), b -> {});
    incremental.run(entity);
    for (int i = 1; i < batches.length; i++) {
      Tables.append(spark, batches[i].toDataset(spark), bronze);
      assertThat(incremental.run(entity).batches()).isEqualTo(1);
    }
    Dataset<Row> incrementalRows =
        spark.createDataFrame(silver(entity).collectAsList(), silver(entity).schema());
    SilverResult full = runSilver(entity);
    assertDatasetEquals(incrementalRows, silver(entity));
    return full;
  }

  @Test
  void tieBreakColumnsOrderEventsThatShareAnLsnAndNullSortsLowest() {
    String ddl = "id INT, status STRING, version INT";
    EntityConfig entity = entity("tiebreak", CdcOptions.NONE.withSequenceTieBreak("version"));

    History.cookbook(ddl)
        .insert(10, 1, "new", 1)
        .insert(10, 2, "x", null)
        // Without the tie-break, "old" would win key 1 by the value rule (and be a tie).
        .update(20, row(1, "old", 2), row(1, "new", 3))
        .update(20, row(1, "new", 1), row(1, "old", 2))
        .insert(10, 2, "a", 1)
        .insert(5, 3, "z", 9)
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(
        rowsOf(ddl, row(1, "new", 3), row(2, "a", 1), row(3, "z", 9)), silver(entity));
    assertThat(result.ties()).as("events that differ in the tie-break column are no tie").isZero();
    assertThat(
            rows("SELECT __cdcm_s1 FROM main.silver.silver_tiebreak__cdc_state ORDER BY id")
                .stream()
                .map(r -> r.get(0)))
        .as("the state table stores the tie-break values")
        .containsExactly(3, 1, 9);
  }

  @Test
  void tieBreakColumnMustExistAndBeOrderable() {
    History.cookbook("id INT, tags MAP<STRING, STRING>")
        .insert(10, 1, java.util.Map.of("a", "b"))
        .writeTo(
            spark,
            config(EntityConfig.of("tbbad", "id")).historyTable(EntityConfig.of("tbbad", "id")));

    assertThatThrownBy(
            () -> runSilver(entity("tbbad", CdcOptions.NONE.withSequenceTieBreak("version"))))
        .hasMessage(
            "Table main.bronze.lb_tbbad_history has no column 'version' (a sequence_tie_break column); its columns are: id, tags, _change_type, _lsn, _commit_timestamp. Fix the CDC options of entity 'tbbad' in test.yml.");
    assertThatThrownBy(
            () -> runSilver(entity("tbbad", CdcOptions.NONE.withSequenceTieBreak("tags"))))
        .hasMessage(
            "Table main.bronze.lb_tbbad_history: sequence_tie_break column 'tags' has type map<string,string>, which cannot be ordered. Remove it from 'sequence_tie_break' of entity 'tbbad' in test.yml, or name a data column of a number, text, date or timestamp type.");
    assertThatThrownBy(
            () -> runSilver(entity("tbbad", CdcOptions.NONE.withSequenceTieBreak("_lsn"))))
        .hasMessageStartingWith(
            "Table main.bronze.lb_tbbad_history: sequence_tie_break column '_lsn' is a CDC metadata column. ");
  }

  @Test
  void applyAsDeletesTurnsMatchingInsertsAndUpdatesIntoDeletes() {
    String ddl = "id INT, status STRING, is_deleted BOOLEAN";
    EntityConfig entity = entity("soft", CdcOptions.NONE.withApplyAsDeletes("is_deleted = true"));

    History.cookbook(ddl)
        .insert(10, 1, "a", false)
        .update(20, row(1, "a", false), row(1, "a", true))
        .insert(10, 2, "b", null)
        .insert(10, 3, "c", true)
        // Key 1: an update older than its soft delete arrives late and changes nothing.
        .update(15, row(1, "a", false), row(1, "late", false))
        .insert(30, 3, "d", false)
        .writeTo(spark, config(entity).historyTable(entity));

    runSilver(entity);

    assertDatasetEquals(rowsOf(ddl, row(2, "b", null), row(3, "d", false)), silver(entity));
    assertThat(rows("SELECT id FROM main.silver.silver_soft__cdc_state WHERE __cdcm_deleted"))
        .extracting(r -> r.getInt(0))
        .as("a soft delete is a tombstone like a delete")
        .containsExactly(1);
  }

  @Test
  void applyAsDeletesThatDoesNotResolveOrIsNotBooleanIsRejectedWithItsLine() {
    EntityConfig plain = EntityConfig.of("softbad", "id");
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "a")
        .writeTo(spark, config(plain).historyTable(plain));
    CdcOptions missing =
        new CdcOptions(
            List.of(),
            java.util.Optional.of(new CdcOptions.SqlCondition("is_deleted = true", "test.yml:7")),
            List.of(),
            List.of(),
            CdcOptions.NullUpdates.OVERWRITE);

    assertThatThrownBy(() -> runSilver(plain.withCdc(missing)))
        .hasMessageStartingWith(
            "test.yml:7: apply_as_deletes (is_deleted = true) of entity 'softbad' cannot be evaluated on main.bronze.lb_softbad_history: ")
        .hasMessageContaining("is_deleted")
        .hasMessageEndingWith(
            "Fix it there: a boolean Spark SQL expression over the table's columns, e.g. is_deleted = true.");
    assertThatThrownBy(() -> runSilver(plain.withCdc(CdcOptions.NONE.withApplyAsDeletes("status"))))
        .hasMessage(
            "apply_as_deletes: apply_as_deletes (status) of entity 'softbad' cannot be evaluated on main.bronze.lb_softbad_history: it is of type string, not boolean. Fix it there: a boolean Spark SQL expression over the table's columns, e.g. is_deleted = true.");
  }

  @Test
  void columnsKeepsOnlyTheListedColumnsAndTiesIgnoreTheOthers() {
    String ddl = "id INT, status STRING, note STRING";
    EntityConfig entity = entity("subset", CdcOptions.NONE.withColumns("status"));

    History.cookbook(ddl)
        .insert(10, 1, "a", "x")
        // Differ only in the dropped column: not a tie.
        .insert(20, 2, "b", "x")
        .insert(20, 2, "b", "y")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "a"), row(2, "b")), silver(entity));
    assertThat(result.ties()).isZero();
    assertThatThrownBy(() -> runSilver(entity("subset", CdcOptions.NONE.withColumns("stat"))))
        .hasMessage(
            "Table main.bronze.lb_subset_history has no column 'stat' (a column listed in 'columns'); its columns are: id, status, note, _change_type, _lsn, _commit_timestamp. Fix the CDC options of entity 'subset' in test.yml.");
  }

  @Test
  void exceptColumnsDropsColumnsAndANewBronzeColumnAppearsUnlessColumnsAreListed() {
    String ddl = "id INT, status STRING, note STRING";
    EntityConfig entity = entity("except", CdcOptions.NONE.withExceptColumns("note"));
    History.cookbook(ddl)
        .insert(10, 1, "a", "x")
        .insert(20, 1, "a", "y")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "a")), silver(entity));
    assertThat(result.ties()).isZero();

    // Schema evolution: the columns silver gets from a bronze table that gained 'city'.
    Dataset<Row> evolved = History.cookbook(ddl + ", city STRING").toDataset(spark).drop("note");
    TableName table = config(entity).historyTable(entity);
    assertThat(BronzeHistory.of(evolved, table, entity, "test.yml").layout().dataColumns())
        .as("a dropped excluded column is fine; a new column appears")
        .containsExactly("id", "status", "city");
    EntityConfig listed = entity("except", CdcOptions.NONE.withColumns("status"));
    assertThat(BronzeHistory.of(evolved, table, listed, "test.yml").layout().dataColumns())
        .as("a new column not in 'columns' is ignored")
        .containsExactly("id", "status");
  }

  @Test
  void ignoreNullUpdatesKeepsEarlierValuesUntilADelete() {
    String ddl = "id INT, name STRING, qty INT";
    EntityConfig entity =
        entity("carry", CdcOptions.NONE.withNullUpdates(CdcOptions.NullUpdates.IGNORE));

    incrementallyAndInFull(
        entity,
        History.cookbook(ddl)
            .insert(10, 1, "x", 1)
            .insert(10, 2, "y", 5)
            .update(20, row(4, null, null), row(4, null, 9))
            .insert(30, 5, "v", null)
            .insert(10, 5, "q", 4), // carried into key 5 for now: qty 4
        History.cookbook(ddl)
            .update(20, row(1, "x", 1), row(1, null, 2))
            .insert(5, 1, "late", null) // older than the insert: sets nothing
            .delete(20, 2, "y", 5)
            .insert(30, 2, null, 7)
            // Key 4: the insert arrives after the later update and fills its null.
            .insert(10, 4, "w", 1)
            // Key 5: a delete between the two inserts arrives late: qty 4 is no longer carried.
            .delete(20, 5, "v", null));

    assertDatasetEquals(
        rowsOf(
            ddl,
            row(1, "x", 2), // name kept from the insert, qty from the update
            row(2, null, 7), // after a delete nothing is carried over
            row(4, "w", 9),
            row(5, "v", null)),
        silver(entity));
  }

  @Test
  void changingTheOptionsRebuildsIncrementalSilver() {
    String ddl = "id INT, name STRING, qty INT";
    EntityConfig plain = EntityConfig.of("switch", "id");
    History.cookbook(ddl)
        .insert(10, 1, "x", 1)
        .update(20, row(1, "x", 1), row(1, null, 2))
        .writeTo(spark, config(plain).historyTable(plain));
    new IncrementalSilver(spark, config(plain), IncrementalOptions.availableNow(), b -> {})
        .run(plain);
    assertDatasetEquals(rowsOf(ddl, row(1, null, 2)), silver(plain));

    EntityConfig carrying =
        plain.withCdc(CdcOptions.NONE.withNullUpdates(CdcOptions.NullUpdates.IGNORE));
    IncrementalResult result =
        new IncrementalSilver(spark, config(carrying), IncrementalOptions.availableNow(), b -> {})
            .run(carrying);

    assertThat(result.rebuilt()).isTrue();
    assertDatasetEquals(rowsOf(ddl, row(1, "x", 2)), silver(carrying));
  }
}
