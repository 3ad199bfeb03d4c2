package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.testing.Fixtures;
import io.cdcmedallion.testing.History;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SCD1 full refresh, end to end: bronze history table in, silver table out. */
class SilverJobTest extends SilverTestBase {
  private static final String ORDERS_HISTORY_DDL =
      "order_id INT, customer_id INT, status STRING, amount DECIMAL(10,2), _change_type STRING, _lsn BIGINT, _commit_timestamp TIMESTAMP";
  private static final String ORDERS_DDL =
      "order_id INT, customer_id INT, status STRING, amount DECIMAL(10,2)";

  @Test
  void cookbookFixtureBuildsTheExpectedSilverTable() {
    EntityConfig orders = EntityConfig.of("orders", "order_id");
    Fixtures.loadInto(
        spark,
        "fixtures/orders_cookbook_history.csv",
        ORDERS_HISTORY_DDL,
        config(orders).historyTable(orders));

    SilverResult result = runSilver(orders);

    assertDatasetEquals(
        Fixtures.load(spark, "fixtures/orders_cookbook_expected.csv", ORDERS_DDL), silver(orders));
    assertThat(result.shape()).isEqualTo(MetadataShape.COOKBOOK);
    assertThat(result.historyRows()).isEqualTo(14);
    assertThat(result.currentRows()).isEqualTo(4);
    assertThat(result.quarantinedRows()).isZero();
    assertThat(result.ties()).isZero();
    assertThat(result.table().toString()).isEqualTo("main.silver.silver_orders");
  }

  @Test
  void lakebaseFixtureOrdersBySortByWithinOneLsnAndByPgLsnPosition() {
    EntityConfig customers = EntityConfig.of("customers", "customer_id");
    Fixtures.loadInto(
        spark,
        "fixtures/customers_lakebase_history.jsonl",
        "customer_id INT, name STRING, region STRING, _pg_change_type STRING, _pg_lsn STRING, _pg_xid BIGINT, _timestamp TIMESTAMP, _sort_by BIGINT",
        config(customers).historyTable(customers));

    SilverResult result = runSilver(customers);

    assertDatasetEquals(
        Fixtures.load(
            spark,
            "fixtures/customers_lakebase_expected.csv",
            "customer_id INT, name STRING, region STRING"),
        silver(customers));
    assertThat(result.shape()).isEqualTo(MetadataShape.LAKEBASE);
    assertThat(result.ties()).isZero();
  }

  @Test
  void compositeKeyIdentifiesRowsByAllItsColumns() {
    EntityConfig items = EntityConfig.of("order_items", "order_id", "line_no");
    Fixtures.loadInto(
        spark,
        "fixtures/order_items_history.csv",
        "order_id INT, line_no INT, product_id INT, qty INT, _change_type STRING, _lsn BIGINT, _commit_timestamp TIMESTAMP",
        config(items).historyTable(items));

    runSilver(items);

    assertDatasetEquals(
        Fixtures.load(
            spark,
            "fixtures/order_items_expected.csv",
            "order_id INT, line_no INT, product_id INT, qty INT"),
        silver(items));
  }

  @Test
  void latestEventWinsWhenEventsArriveOutOfOrder() {
    EntityConfig entity = EntityConfig.of("out_of_order", "id");
    History.cookbook("id INT, status STRING")
        .update(30, row(1, "paid"), row(1, "shipped"))
        .insert(10, 1, "new")
        .update(20, row(1, "new"), row(1, "paid"))
        .writeTo(spark, config(entity).historyTable(entity));

    runSilver(entity);

    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "shipped")), silver(entity));
  }

  @Test
  void updatePreImagesAreIgnored() {
    EntityConfig entity = EntityConfig.of("preimages", "id");
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "new")
        .update(20, row(1, "new"), row(1, "paid"))
        .insert(11, 2, "new")
        // A pre-image with no post-image, even at the greatest LSN, never becomes the current row.
        .event("update_preimage", 40L, 2, "stale")
        .event("update_preimage", 41L, 3, "only a pre-image")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(
        rowsOf("id INT, status STRING", row(1, "paid"), row(2, "new")), silver(entity));
    assertThat(result.ties()).as("pre- and post-image share an LSN but are not a tie").isZero();
  }

  @Test
  void deleteRemovesTheKey() {
    EntityConfig entity = EntityConfig.of("deletes", "id");
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "new")
        .insert(11, 2, "new")
        .update(20, row(2, "new"), row(2, "paid"))
        .delete(30, 2, "paid")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "new")), silver(entity));
    assertThat(result.currentRows()).isEqualTo(1);
  }

  @Test
  void reInsertAfterDeleteBringsTheKeyBackWithTheNewValues() {
    EntityConfig entity = EntityConfig.of("reinserts", "id");
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "first life")
        .delete(20, 1, "first life")
        .insert(30, 1, "second life")
        .writeTo(spark, config(entity).historyTable(entity));

    runSilver(entity);

    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "second life")), silver(entity));
  }

  @Test
  void sortByOrdersEventsThatShareOneLsn() {
    EntityConfig entity = EntityConfig.of("same_lsn", "id");
    History.lakebase("id INT, status STRING")
        // One transaction, one _pg_lsn; delivered in reverse, _sort_by gives the order.
        .eventWithSortBy("update_postimage", 100L, 3L, 1, "third")
        .eventWithSortBy("update_postimage", 100L, 2L, 1, "second")
        .eventWithSortBy("insert", 100L, 1L, 1, "first")
        .eventWithSortBy("insert", 100L, 1L, 2, "kept")
        .eventWithSortBy("delete", 100L, 0L, 2, "deleted before the insert")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertDatasetEquals(
        rowsOf("id INT, status STRING", row(1, "third"), row(2, "kept")), silver(entity));
    assertThat(result.ties()).isZero();
  }

  @Test
  void metadataColumnsAreDroppedAndDataColumnsKeepTheirOrder() {
    EntityConfig entity = EntityConfig.of("columns", "id");
    Dataset<Row> history =
        rowsOf(
            "_change_type STRING, zeta STRING, _lsn BIGINT, id INT, _commit_timestamp TIMESTAMP, alpha INT",
            row("insert", "z", 1L, 7, null, 3));
    Tables.replace(spark, history, config(entity).historyTable(entity));

    runSilver(entity);

    assertDatasetEquals(rowsOf("zeta STRING, id INT, alpha INT", row("z", 7, 3)), silver(entity));
  }

  @Test
  void lakebaseMetadataColumnsAreDropped() {
    EntityConfig entity = EntityConfig.of("lakebase_columns", "id");
    History.lakebase("id INT, status STRING")
        .insert(5, 1, "new")
        .writeTo(spark, config(entity).historyTable(entity));

    runSilver(entity);

    assertThat(silver(entity).columns()).containsExactly("id", "status");
  }

  @Test
  void secondRunReplacesTheSilverTable() {
    EntityConfig entity = EntityConfig.of("reruns", "id");
    TableName bronze = config(entity).historyTable(entity);
    History first =
        History.cookbook("id INT, status STRING").insert(10, 1, "new").insert(11, 2, "new");
    first.writeTo(spark, bronze);
    runSilver(entity);

    first
        .update(20, row(1, "new"), row(1, "paid"))
        .delete(21, 2, "new")
        .insert(22, 3, "new")
        .writeTo(spark, bronze);
    SilverResult second = runSilver(entity);

    assertDatasetEquals(
        rowsOf("id INT, status STRING", row(1, "paid"), row(3, "new")), silver(entity));
    assertThat(second.currentRows()).isEqualTo(2);
  }

  @Test
  void aNewSilverTableHasDeletionVectorsFromTheCommitThatCreatesIt() {
    EntityConfig entity = EntityConfig.of("created_with_vectors", "id");
    TableName bronze = config(entity).historyTable(entity);
    History.cookbook("id INT, status STRING").insert(10, 1, "new").writeTo(spark, bronze);
    runSilver(entity);

    TableName silver = config(entity).silverTable(entity);
    assertThat(Tables.properties(spark, silver)).containsEntry(Tables.DELETION_VECTORS, "true");
    assertThat(rows("DESCRIBE HISTORY " + silver.quoted()))
        .as("silver's commits: one write, no separate commit for its properties")
        .extracting(commit -> commit.<String>getAs("operation"))
        .containsExactly("CREATE OR REPLACE TABLE AS SELECT");
  }

  @Test
  void anExistingSilverTableWithoutDeletionVectorsGetsThemAtItsNextRun() {
    EntityConfig entity = EntityConfig.of("older_silver", "id");
    TableName bronze = config(entity).historyTable(entity);
    History.cookbook("id INT, status STRING").insert(10, 1, "new").writeTo(spark, bronze);
    TableName silver = config(entity).silverTable(entity);
    // A silver table an earlier version wrote, before deletion vectors were turned on.
    Tables.replace(spark, spark.sql("SELECT 1 AS id, 'old' AS status"), silver);

    runSilver(entity);

    assertThat(Tables.properties(spark, silver)).containsEntry(Tables.DELETION_VECTORS, "true");
    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "new")), silver(entity));
  }

  @Test
  void aRunKeepsTheTablePropertiesAUserSetOnSilver() {
    EntityConfig entity = EntityConfig.of("user_properties", "id");
    TableName bronze = config(entity).historyTable(entity);
    TableName silver = config(entity).silverTable(entity);
    History.cookbook("id INT, status STRING").insert(10, 1, "new").writeTo(spark, bronze);
    runSilver(entity);
    // A change data feed for downstream readers, and a property of the team's own.
    spark.sql(
        "ALTER TABLE "
            + silver.quoted()
            + " SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true', 'team.owner' = 'orders')");

    runSilver(entity);

    assertThat(Tables.properties(spark, silver))
        .containsEntry("delta.enableChangeDataFeed", "true")
        .containsEntry("team.owner", "orders")
        .containsEntry(Tables.DELETION_VECTORS, "true");
  }

  @Test
  void runThatRejectsItsInputLeavesThePreviousSilverTable() {
    EntityConfig entity = EntityConfig.of("rejected", "id");
    TableName bronze = config(entity).historyTable(entity);
    History.cookbook("id INT, status STRING").insert(10, 1, "good").writeTo(spark, bronze);
    runSilver(entity);

    History.cookbook("id INT, status STRING")
        .insert(10, 1, "good")
        .update(20, row(1, "good"), row(1, "never seen"))
        .event("insert", null, 2, "no lsn")
        .writeTo(spark, bronze);

    assertThatThrownBy(() -> runSilver(entity))
        .isInstanceOf(MedallionException.class)
        .hasMessageContaining("1 with a null or unreadable _lsn");
    assertDatasetEquals(rowsOf("id INT, status STRING", row(1, "good")), silver(entity));
  }

  @Test
  void runThatFailsWhileWritingLeavesThePreviousSilverTable() {
    EntityConfig entity = EntityConfig.of("broken", "id");
    TableName bronze = config(entity).historyTable(entity);
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "good")
        .insert(11, 2, "good")
        .writeTo(spark, bronze);
    runSilver(entity);

    // The history becomes a view whose status column fails to compute for one row: the contract
    // check (keys, LSNs, change types) passes, the silver computation fails half way.
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "good")
        .update(20, row(2, "good"), row(2, "bad"))
        .writeTo(spark, new TableName("main", "bronze", "broken_source"));
    spark.sql("DROP TABLE " + bronze.quoted());
    spark.sql(
        "CREATE VIEW spark_catalog.bronze.lb_broken_history AS SELECT id, "
            + "CASE WHEN status = 'bad' THEN raise_error('corrupt row') ELSE status END AS status, "
            + "_change_type, _lsn, _commit_timestamp FROM spark_catalog.bronze.broken_source");

    assertThatThrownBy(() -> runSilver(entity))
        .isInstanceOf(MedallionException.class)
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.EXECUTION))
        .hasMessageStartingWith("silver broken failed on main.silver.silver_broken: ")
        .hasMessageContaining("corrupt row");
    assertDatasetEquals(
        rowsOf("id INT, status STRING", row(1, "good"), row(2, "good")), silver(entity));

    // Once the source is repaired, the next run goes through.
    spark.sql("UPDATE main.bronze.broken_source SET status = 'fixed' WHERE status = 'bad'");
    SilverResult repaired = runSilver(entity);
    assertDatasetEquals(
        rowsOf("id INT, status STRING", row(1, "good"), row(2, "fixed")), silver(entity));
    assertThat(repaired.currentRows()).isEqualTo(2);
  }

  @Test
  void sparkAnalysisErrorIsReportedWithTheStepAndTable() {
    EntityConfig entity = EntityConfig.of("dangling", "id");
    History.cookbook("id INT, status STRING")
        .insert(10, 1, "good")
        .writeTo(spark, new TableName("main", "bronze", "dangling_source"));
    spark.sql(
        "CREATE VIEW spark_catalog.bronze.lb_dangling_history AS SELECT * FROM spark_catalog.bronze.dangling_source");
    spark.sql("DROP TABLE main.bronze.dangling_source");

    assertThatThrownBy(() -> runSilver(entity))
        .isInstanceOf(MedallionException.class)
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.EXECUTION))
        .hasMessageStartingWith("silver dangling failed on main.silver.silver_dangling: ")
        .hasMessageContaining("dangling_source");
  }

  @Test
  void dataColumnsMayHaveNamesLikeInternalOnes() {
    EntityConfig entity = EntityConfig.of("odd_names", "id");
    History.cookbook("id INT, _type STRING, _tie BOOLEAN, _winner INT, _h BIGINT, _rank INT")
        .insert(10, 1, "a", true, 1, 1L, 1)
        .update(20, row(1, "a", true, 1, 1L, 1), row(1, "b", false, 2, 2L, 2))
        .writeTo(spark, config(entity).historyTable(entity));

    runSilver(entity);

    assertDatasetEquals(
        rowsOf(
            "id INT, _type STRING, _tie BOOLEAN, _winner INT, _h BIGINT, _rank INT",
            row(1, "b", false, 2, 2L, 2)),
        silver(entity));
  }

  @Test
  @Timeout(120)
  void emptyHistoryBuildsAnEmptySilverTable() {
    EntityConfig entity = EntityConfig.of("empty", "id");
    History.cookbook("id INT, status STRING").writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertThat(result.historyRows()).isZero();
    assertThat(result.currentRows()).isZero();
    assertThat(result.ties()).isZero();
    assertThat(silver(entity).columns()).containsExactly("id", "status");
  }

  @Test
  @Timeout(120)
  void historyOfOnlyDeletesAndPreImagesBuildsAnEmptySilverTable() {
    EntityConfig entity = EntityConfig.of("all_gone", "id");
    History.cookbook("id INT, status STRING")
        .delete(10, 1, "x")
        .event("update_preimage", 11L, 2, "y")
        .writeTo(spark, config(entity).historyTable(entity));

    SilverResult result = runSilver(entity);

    assertThat(result.historyRows()).isEqualTo(2);
    assertThat(result.currentRows()).isZero();
  }
}
