package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.InvalidRowPolicy;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.testing.Fixtures;
import io.cdcmedallion.testing.History;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Rows that break the bronze contract: fail with a message, or quarantine them and go on. */
class InvalidRowsTest extends SilverTestBase {
  private static final String HISTORY_DDL =
      "order_id INT, status STRING, _change_type STRING, _lsn STRING";

  private static TableName loadInvalidFixture(EntityConfig entity) {
    TableName bronze = config(entity).historyTable(entity);
    Fixtures.loadInto(spark, "fixtures/orders_invalid_history.csv", HISTORY_DDL, bronze);
    return bronze;
  }

  @Test
  void invalidRowsFailTheRunWithCountsAndTheQuarantineFix() {
    EntityConfig orders = EntityConfig.of("orders", "order_id");
    loadInvalidFixture(orders);

    assertThatThrownBy(() -> new SilverJob(spark, config(orders)).run(orders))
        .isInstanceOf(MedallionException.class)
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.CONTRACT))
        .hasMessage(
            "Table main.bronze.lb_orders_history has 4 rows that break the CDC history contract"
                + " (2 with a null key (order_id), 2 with a null or unreadable _lsn,"
                + " 1 with an unknown _change_type (seen: 'upsert'; allowed: insert, update_preimage, update_postimage, delete))."
                + " Fix those rows at the source, or set 'on_invalid_rows: quarantine' for entity 'orders' in test.yml"
                + " to set them aside in main.silver.quarantine_orders.");
    assertThat(Tables.exists(spark, config(orders).silverTable(orders))).isFalse();
    assertThat(Tables.exists(spark, config(orders).quarantineTable(orders))).isFalse();
  }

  @Test
  void singleInvalidRowIsReportedInTheSingular() {
    EntityConfig entity = EntityConfig.of("one_bad", "id");
    History.cookbook("id INT, status STRING")
        .insert(1, 1, "new")
        .event("upsert", 2L, 1, "new")
        .writeTo(spark, config(entity).historyTable(entity));

    assertThatThrownBy(() -> new SilverJob(spark, config(entity)).run(entity))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "Table main.bronze.lb_one_bad_history has 1 row that breaks the CDC history contract (1 with an unknown _change_type (seen: 'upsert';")
        .hasMessageContaining("set 'on_invalid_rows: quarantine' for entity 'one_bad' in test.yml");
  }

  @Test
  void quarantinedRowsGoToTheQuarantineTableAndSilverIsBuiltFromTheRest() {
    EntityConfig orders =
        EntityConfig.of("q_orders", "order_id").withOnInvalidRows(InvalidRowPolicy.QUARANTINE);
    TableName bronze = loadInvalidFixture(orders);

    RunContext run = RunContext.start("test");
    SilverResult result = new SilverJob(spark, config(orders), run).run(orders);

    assertDatasetEquals(
        Fixtures.load(spark, "fixtures/orders_invalid_expected.csv", "order_id INT, status STRING"),
        spark.table(config(orders).silverTable(orders).quoted()));
    Dataset<Row> quarantine = spark.table(config(orders).quarantineTable(orders).quoted());
    assertThat(quarantine.columns())
        .containsExactly(
            "order_id",
            "status",
            "_change_type",
            "_lsn",
            "_failed_expectations",
            "_run_id",
            "_quarantined_at");
    assertDatasetEquals(
        spark.sql(
            "SELECT order_id, status, _change_type, _lsn, _failed_expectations, '"
                + run.runId()
                + "' AS _run_id FROM VALUES"
                + " (CAST(NULL AS INT), 'new', 'insert', '11', array('contract_null_key')),"
                + " (2, 'new', 'insert', CAST(NULL AS STRING), array('contract_null_sequence')),"
                + " (3, 'new', 'upsert', '12', array('contract_unknown_change_type')),"
                + " (CAST(NULL AS INT), 'lost', 'insert', 'not-an-lsn',"
                + "  array('contract_null_key', 'contract_null_sequence'))"
                + " AS t(order_id, status, _change_type, _lsn, _failed_expectations)"),
        quarantine.drop("_quarantined_at"));
    assertThat(quarantine.filter("_quarantined_at IS NULL").count()).isZero();

    BronzeHistory history = BronzeHistory.read(spark, config(orders), orders);
    long silverInput = history.validRows().count();
    assertThat(result.historyRows()).isEqualTo(Tables.count(spark, bronze)).isEqualTo(10);
    assertThat(result.quarantinedRows()).isEqualTo(4);
    assertThat(result.historyRows())
        .as("rows in = silver input + quarantined")
        .isEqualTo(silverInput + result.quarantinedRows());
    assertThat(result.currentRows()).isEqualTo(2);
  }

  @Test
  void aCleanRunAddsNothingToTheQuarantineAndEarlierRunsKeepTheirRows() {
    EntityConfig entity =
        EntityConfig.of("healed", "id").withOnInvalidRows(InvalidRowPolicy.QUARANTINE);
    TableName bronze = config(entity).historyTable(entity);
    History.cookbook("id INT, status STRING")
        .insert(1, 1, "new")
        .event("insert", null, 2, "no lsn")
        .writeTo(spark, bronze);
    RunContext first = RunContext.start("test");
    assertThat(new SilverJob(spark, config(entity), first).run(entity).quarantinedRows())
        .isEqualTo(1);

    // The source is fixed: the next run sets nothing aside, and the row of the first run stays
    // where the user can find it, under that run's id.
    History.cookbook("id INT, status STRING")
        .insert(1, 1, "new")
        .insert(2, 2, "fixed")
        .writeTo(spark, bronze);
    SilverResult result = new SilverJob(spark, config(entity)).run(entity);

    assertThat(result.quarantinedRows()).isZero();
    assertThat(
            rows("SELECT id, status, _run_id FROM "
                    + config(entity).quarantineTable(entity).quoted())
                .toString())
        .isEqualTo("[[2,no lsn," + first.runId() + "]]");
    assertDatasetEquals(
        spark.sql("SELECT * FROM VALUES (1, 'new'), (2, 'fixed') AS t(id, status)"),
        spark.table(config(entity).silverTable(entity).quoted()));
  }

  @Test
  void invalidRowsNeverReachSilverEvenWhenTheyAreLatest() {
    EntityConfig entity =
        EntityConfig.of("latest_bad", "id").withOnInvalidRows(InvalidRowPolicy.QUARANTINE);
    History.cookbook("id INT, status STRING")
        .insert(1, 1, "new")
        .event("upsert", 99L, 1, "from an unknown change type")
        .update(2, row(1, "new"), row(1, "paid"))
        .writeTo(spark, config(entity).historyTable(entity));

    new SilverJob(spark, config(entity)).run(entity);

    assertThat(rows("SELECT id, status FROM main.silver.silver_latest_bad").toString())
        .isEqualTo("[[1,paid]]");
  }
}
