package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.TiePolicy;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.testing.History;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Several different rows for one key at its greatest sequence: resolved by the documented rule
 * (delete, then update post-image, then insert; then greater column values in column order),
 * counted, or rejected with {@code on_tie: fail}.
 */
class TiesTest extends SilverTestBase {
  @Test
  void tieIsResolvedByChangeTypeThenByColumnValuesInColumnOrder() {
    EntityConfig entity = EntityConfig.of("resolved", "id");
    History.cookbook("id INT, status STRING, amount INT")
        // post-image beats insert, whatever the values
        .insert(10, 1, "z", 9)
        .event("update_postimage", 10L, 1, "a", 1)
        // delete beats post-image: the key is gone
        .event("update_postimage", 10L, 2, "z", 9)
        .delete(10, 2, "a", 1)
        // same change type: the greater first value column wins...
        .event("update_postimage", 10L, 3, "a", 9)
        .event("update_postimage", 10L, 3, "b", 1)
        // ...then the next one
        .insert(10, 4, "a", 1)
        .insert(10, 4, "a", 9)
        // a value beats null
        .insert(10, 5, "a", 0)
        .insert(10, 5, null, 7)
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(
        rowsOf(
            "id INT, status STRING, amount INT",
            row(1, "a", 1),
            row(3, "b", 1),
            row(4, "a", 9),
            row(5, "a", 0)),
        silver(entity));
    assertThat(result.ties()).isEqualTo(5);
  }

  @Test
  void tieResolutionDoesNotDependOnHowTheHistoryIsPartitioned() {
    History history = History.cookbook("id INT, status STRING, amount INT");
    for (int id = 0; id < 60; id++) {
      history.insert(1, id, "new", 0);
      for (int variant = 0; variant < 4; variant++) {
        String changeType = (id + variant) % 5 == 0 ? "insert" : "update_postimage";
        history.event(
            changeType, 2L, id, "s" + ((id * 7 + variant * 3) % 4), (id * 13 + variant * 5) % 6);
      }
    }
    EntityConfig many = EntityConfig.of("many_files", "id");
    EntityConfig one = EntityConfig.of("one_file", "id");
    Dataset<Row> rows = history.toDataset(spark);
    Tables.replace(spark, rows.repartition(7), config(many).historyTable(many));
    Tables.replace(
        spark,
        rows.orderBy(org.apache.spark.sql.functions.rand(42)).coalesce(1),
        config(one).historyTable(one));

    SilverResult manyResult = runSilver(many);
    SilverResult oneResult = runSilver(one);

    assertThat(spark.table(config(many).historyTable(many).quoted()).inputFiles())
        .hasSizeGreaterThan(1);
    assertDatasetEquals(silver(one), silver(many));
    assertThat(manyResult.ties()).isEqualTo(oneResult.ties()).isEqualTo(60);
  }

  @Test
  void onTieFailRejectsTheRunAndListsExampleKeys() {
    EntityConfig items = EntityConfig.of("items", "order_id", "line_no").withOnTie(TiePolicy.FAIL);
    History.cookbook("order_id INT, line_no INT, qty INT")
        .insert(10, 1, 1, 1)
        .insert(10, 1, 1, 2)
        .insert(10, 1, 2, 5)
        .insert(11, 2, 1, 1)
        .event("update_postimage", 11L, 2, 1, 3)
        .writeTo(spark, config(items).historyTable(items));

    assertThatThrownBy(() -> runSilver(items))
        .isInstanceOf(MedallionException.class)
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.CONTRACT))
        .hasMessageStartingWith(
            "Table main.bronze.lb_items_history has 2 keys with several different rows at the same latest sequence (e.g. ")
        .hasMessageContaining("order_id=1 line_no=1")
        .hasMessageContaining("order_id=2 line_no=1")
        .hasMessageNotContaining("line_no=2")
        .hasMessageEndingWith(
            "), so the current row is ambiguous. Set 'on_tie: pick' for entity 'items' in test.yml to keep one by the documented rule.");
    assertThat(Tables.exists(spark, config(items).silverTable(items))).isFalse();
  }

  @Test
  void sameEventDeliveredTwiceIsNotATie() {
    EntityConfig entity = EntityConfig.of("duplicates", "id").withOnTie(TiePolicy.FAIL);
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "new")
        .insert(10, 1, "new")
        .update(20, row(1, "new"), row(1, "paid"))
        .update(20, row(1, "new"), row(1, "paid"))
        .delete(15, 2, "new")
        .delete(15, 2, "new")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertThat(result.ties()).isZero();
    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "paid")), silver(entity));
  }

  @Test
  void conflictAtAnEarlierSequenceIsNotATie() {
    EntityConfig entity = EntityConfig.of("earlier", "id").withOnTie(TiePolicy.FAIL);
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "a")
        .insert(10, 1, "b")
        .update(20, row(1, "b"), row(1, "c"))
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertThat(result.ties()).isZero();
    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "c")), silver(entity));
  }

  @Test
  void sortBySeparatesRowsThatShareAnLsnButNotRowsThatShareBoth() {
    EntityConfig entity = EntityConfig.of("lakebase_ties", "id");
    History.lakebase("id INT, status STRING")
        .eventWithSortBy("insert", 10L, 1L, 1, "b")
        .eventWithSortBy("update_postimage", 10L, 2L, 1, "a")
        .eventWithSortBy("insert", 10L, 1L, 2, "a")
        .eventWithSortBy("insert", 10L, 1L, 2, "b")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertThat(result.ties()).isEqualTo(1);
    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "a"), row(2, "b")), silver(entity));
  }

  @Test
  void rowsThatDifferOnlyInWhichColumnIsNullAreATie() {
    EntityConfig entity = EntityConfig.of("null_swap", "id").withOnTie(TiePolicy.FAIL);
    History.cookbook("id INT, discount INT, tax INT")
        .insert(10, 1, null, 5)
        .insert(10, 1, 5, null)
        .writeTo(spark, config(entity).historyTable(entity));

    assertThatThrownBy(() -> runSilver(entity))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "Table main.bronze.lb_null_swap_history has 1 key with several different rows")
        .hasMessageContaining("(e.g. id=1)");

    SilverResult picked = runSilver(entity.withOnTie(TiePolicy.PICK));
    assertThat(picked.ties()).isEqualTo(1);
    assertDatasetEquals(rowsOf("id INT, discount INT, tax INT", row(1, 5, null)), silver(entity));
  }

  @Test
  void mapAndVariantColumnsAreCarriedAndTheirTiesCounted() {
    EntityConfig entity = EntityConfig.of("unordered", "id");
    Dataset<Row> history =
        spark.sql(
            "SELECT * FROM VALUES"
                + " (1, map('a', 1), parse_json('{\"x\": 1}'), 'insert', 10L),"
                + " (1, map('a', 1), parse_json('{\"x\": 2}'), 'update_postimage', 20L),"
                + " (2, map('b', 1), parse_json('{\"x\": 1}'), 'insert', 10L),"
                + " (2, map('b', 1), parse_json('{\"x\": 2}'), 'insert', 10L),"
                + " (3, map('c', 1), parse_json('{\"x\": 1}'), 'insert', 10L),"
                + " (3, map('c', 2), parse_json('{\"x\": 1}'), 'insert', 10L),"
                + " (4, map('d', 1), parse_json('{\"x\": 1}'), 'insert', 10L),"
                + " (4, map('d', 1), parse_json('{\"x\": 1}'), 'insert', 10L)"
                + " AS t(id, attrs, doc, _change_type, _lsn)");
    Tables.replace(spark, history, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertThat(result.ties())
        .as("keys 2 (variant differs) and 3 (map differs); 4 is a duplicate")
        .isEqualTo(2);
    assertThat(
            rows("SELECT id, to_json(attrs), to_json(doc) FROM main.silver.silver_unordered WHERE id = 1")
                .toString())
        .isEqualTo("[[1,{\"a\":1},{\"x\":2}]]");
    assertThat(result.currentRows()).isEqualTo(4);
  }

  /**
   * The cookbook's plan shape, kept: one shuffle with a map-side top-1 per key before it, and no
   * sort after the one the reduction needs (the winner and the tie count read the same sorted
   * rows).
   */
  @Test
  void latestEventsSortOnceAroundOneShuffleWithTheMapSideLimit() {
    EntityConfig entity = EntityConfig.of("plan", "id");
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "a")
        .insert(10, 1, "b")
        .update(20, row(1, "b"), row(1, "c"))
        .insert(10, 2, "a")
        .writeTo(spark, config(entity).historyTable(entity));
    BronzeHistory bronze = BronzeHistory.read(spark, config(entity), entity);

    Dataset<Row> latest = CurrentState.latestEvents(bronze, bronze.validRows());

    latest.createOrReplaceTempView("latest_events_plan");
    String plan = rows("EXPLAIN SELECT * FROM latest_events_plan").get(0).getString(0);
    assertThat(occurrences(plan, "Exchange hashpartitioning")).as(plan).isEqualTo(1);
    assertThat(occurrences(plan, "WindowGroupLimit")).as(plan).isGreaterThanOrEqualTo(2);
    assertThat(occurrences(plan, ", 1, Partial")).as("map-side limit\n" + plan).isEqualTo(1);
    assertThat(occurrences(plan, "Sort [")).as(plan).isEqualTo(2);
    assertThat(latest.select("id", "status", "__cdcm_tie").orderBy("id").collectAsList().toString())
        .isEqualTo("[[1,c,false], [2,a,false]]");
  }

  private static int occurrences(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }
}
