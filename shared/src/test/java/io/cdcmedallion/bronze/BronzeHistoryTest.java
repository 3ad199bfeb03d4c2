package io.cdcmedallion.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.testing.Fixtures;
import io.cdcmedallion.testing.History;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BronzeHistoryTest extends SparkTestBase {
  private static final TableName TABLE = new TableName("main", "bronze", "lb_orders_history");
  private static final EntityConfig ORDERS = EntityConfig.of("orders", "order_id");

  /** An empty table with these columns: shape detection and column checks need only the schema. */
  private static Dataset<Row> table(String ddl) {
    return spark.createDataFrame(List.of(), StructType.fromDDL(ddl));
  }

  private static BronzeHistory history(Dataset<Row> rows, EntityConfig entity) {
    return BronzeHistory.of(rows, TABLE, entity, "test.yml");
  }

  @Test
  void readPinsOneDeltaVersionSoRowsAppendedMidRunWaitForTheNextRun() {
    EntityConfig pinned = EntityConfig.of("pinned", "order_id");
    PipelineConfig config =
        new PipelineConfig(
            "test.yml", "main", "bronze", "silver", "gold", List.of(pinned), List.of());
    History.cookbook("order_id INT, status STRING")
        .insert(10, 1, "new")
        .insert(11, 2, "new")
        .writeTo(spark, config.historyTable(pinned));
    BronzeHistory history = BronzeHistory.read(spark, config, pinned);
    long versionRead = history.version().orElseThrow();

    spark.sql("INSERT INTO main.bronze.lb_pinned_history VALUES (3, 'new', 'insert', 12, NULL)");

    assertThat(history.rows().count()).isEqualTo(2);
    assertThat(history.check().rows()).isEqualTo(2);
    assertThat(BronzeHistory.read(spark, config, pinned).version().orElseThrow())
        .isEqualTo(versionRead + 1);
    assertThat(BronzeHistory.read(spark, config, pinned).rows().count()).isEqualTo(3);
  }

  @Test
  void cookbookShapeIsDetectedFromChangeTypeColumn() {
    BronzeHistory history =
        history(
            table(
                "order_id INT, status STRING, _change_type STRING, _lsn BIGINT, _commit_timestamp TIMESTAMP"),
            ORDERS);

    HistoryLayout layout = history.layout();
    assertThat(layout.shape()).isEqualTo(MetadataShape.COOKBOOK);
    assertThat(layout.sequenceColumns()).containsExactly("_lsn");
    assertThat(layout.dataColumns()).containsExactly("order_id", "status");
    assertThat(layout.valueColumns()).containsExactly("status");
  }

  @Test
  void lakebaseShapeIsDetectedAndOrdersBySortByAfterLsn() {
    BronzeHistory history =
        history(
            table(
                "order_id INT, _pg_change_type STRING, status STRING, _pg_lsn STRING, _pg_xid BIGINT, _timestamp TIMESTAMP, _sort_by BIGINT"),
            ORDERS);

    HistoryLayout layout = history.layout();
    assertThat(layout.shape()).isEqualTo(MetadataShape.LAKEBASE);
    assertThat(layout.sequenceColumns()).containsExactly("_pg_lsn", "_sort_by");
    assertThat(layout.dataColumns()).containsExactly("order_id", "status");
  }

  @Test
  void lakebaseTableWithoutSortByOrdersByLsnAlone() {
    BronzeHistory history =
        history(table("order_id INT, _pg_change_type STRING, _pg_lsn BIGINT"), ORDERS);

    assertThat(history.layout().sequenceColumns()).containsExactly("_pg_lsn");
    assertThat(history.sequenceWidth()).isEqualTo(1);
  }

  @Test
  void configuredShapeOverridesDetection() {
    Dataset<Row> both =
        table(
            "order_id INT, _change_type STRING, _lsn BIGINT, _pg_change_type STRING, _pg_lsn BIGINT");

    assertThat(
            history(both, ORDERS.withShape(Optional.of(MetadataShape.LAKEBASE))).layout().shape())
        .isEqualTo(MetadataShape.LAKEBASE);
    assertThat(
            history(both, ORDERS.withShape(Optional.of(MetadataShape.COOKBOOK))).layout().shape())
        .isEqualTo(MetadataShape.COOKBOOK);
  }

  @Test
  void tableWithNeitherShapeIsRejectedWithTheShapeSetting() {
    Dataset<Row> neither = table("order_id INT, op STRING, lsn BIGINT");

    assertThatThrownBy(() -> history(neither, ORDERS))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Table main.bronze.lb_orders_history has neither _change_type (cookbook shape) nor _pg_change_type (Lakebase shape), so its CDC metadata shape is unknown. Set 'shape: cookbook' or 'shape: lakebase' for entity 'orders' in test.yml.");
  }

  @Test
  void tableWithBothShapesIsRejectedWithTheShapeSetting() {
    Dataset<Row> both =
        table(
            "order_id INT, _change_type STRING, _lsn BIGINT, _pg_change_type STRING, _pg_lsn BIGINT");

    assertThatThrownBy(() -> history(both, ORDERS))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Table main.bronze.lb_orders_history has both _change_type and _pg_change_type columns, so its CDC metadata shape is unknown. Set 'shape: cookbook' or 'shape: lakebase' for entity 'orders' in test.yml.");
  }

  @Test
  void missingKeyColumnIsRejectedNamingTableColumnAndKeysSetting() {
    Dataset<Row> rows = table("id INT, status STRING, _change_type STRING, _lsn BIGINT");

    assertThatThrownBy(() -> history(rows, ORDERS))
        .isInstanceOf(MedallionException.class)
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .as("the config names the key: a config error, exit code 2")
                    .isEqualTo(MedallionException.Kind.CONFIG))
        .hasMessage(
            "Table main.bronze.lb_orders_history has no column 'order_id' (a primary key column of entity orders); its columns are: id, status, _change_type, _lsn. Fix 'keys' for entity 'orders' in test.yml.");
  }

  @Test
  void missingSecondKeyColumnOfACompositeKeyIsRejected() {
    Dataset<Row> rows = table("order_id INT, qty INT, _change_type STRING, _lsn BIGINT");

    assertThatThrownBy(() -> history(rows, EntityConfig.of("order_items", "order_id", "line_no")))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "Table main.bronze.lb_orders_history has no column 'line_no' (a primary key column of entity order_items);")
        .hasMessageEndingWith("Fix 'keys' for entity 'order_items' in test.yml.");
  }

  @Test
  void missingLsnColumnIsRejectedNamingTheShapeSetting() {
    Dataset<Row> rows =
        table("order_id INT, status STRING, _change_type STRING, _commit_timestamp TIMESTAMP");

    assertThatThrownBy(() -> history(rows, ORDERS))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Table main.bronze.lb_orders_history has no column '_lsn' (the log sequence number column); its columns are: order_id, status, _change_type, _commit_timestamp. Lakehouse Sync tables in the cookbook shape need it; set 'shape:' for entity 'orders' in test.yml if the table has the other shape.");
  }

  @Test
  void configuredShapeThatDoesNotMatchTheTableIsRejected() {
    Dataset<Row> cookbook = table("order_id INT, _change_type STRING, _lsn BIGINT");

    assertThatThrownBy(
            () -> history(cookbook, ORDERS.withShape(Optional.of(MetadataShape.LAKEBASE))))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "Table main.bronze.lb_orders_history has no column '_pg_change_type' (the change type column);")
        .hasMessageEndingWith(
            "Lakehouse Sync tables in the lakebase shape need it; set 'shape:' for entity 'orders' in test.yml if the table has the other shape.");
  }

  @Test
  void sequenceColumnOfAnUnsupportedTypeIsRejected() {
    Dataset<Row> rows = table("order_id INT, _change_type STRING, _lsn TIMESTAMP");

    assertThatThrownBy(() -> history(rows, ORDERS))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Table main.bronze.lb_orders_history: sequence column '_lsn' has type timestamp; expected an integer, decimal, or a pg_lsn string such as '16/B374D848'.");
  }

  @Test
  void pgLsnTextIsReadAsTheSixtyFourBitPositionItSpells() {
    List<String> lsns =
        List.of(
            "0/FF",
            "0/100",
            "1/0",
            "9/FFFFFFFF",
            "A/0",
            "a/1",
            "10/0",
            "16/B374D848",
            "FFFFFFFF/FFFFFFFF",
            "42",
            "16/",
            "x/1",
            "-5",
            "1.5",
            "+7",
            " 8");
    Dataset<Row> rows =
        spark
            .createDataset(lsns, Encoders.STRING())
            .toDF("_lsn")
            .withColumn("order_id", lit(1))
            .withColumn("_change_type", lit("insert"));
    BronzeHistory history = history(rows, ORDERS);

    List<Row> sequence =
        rows.select(col("_lsn"), history.sequence(0).as("position")).collectAsList();

    assertThat(sequence)
        .extracting(r -> r.getString(0) + " -> " + r.get(1))
        .containsExactly(
            "0/FF -> 255",
            "0/100 -> 256",
            "1/0 -> 4294967296",
            "9/FFFFFFFF -> 42949672959",
            "A/0 -> 42949672960",
            "a/1 -> 42949672961",
            "10/0 -> 68719476736",
            "16/B374D848 -> " + 0x16B374D848L,
            "FFFFFFFF/FFFFFFFF -> 18446744073709551615",
            "42 -> 42",
            "16/ -> null",
            "x/1 -> null",
            "-5 -> null",
            "1.5 -> null",
            "+7 -> null",
            " 8 -> null");
  }

  @Test
  void negativeOrFractionalNumericLsnsAreUnreadableNotRounded() {
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES (1, 'insert', 7L, 7.0BD), (2, 'insert', -5L, -5.0BD),"
                + " (3, 'insert', 3L, 1.5BD) AS t(order_id, _change_type, _lsn, dec_lsn)");
    BronzeHistory byLong = history(rows, ORDERS);
    BronzeHistory byDecimal =
        history(rows.drop("_lsn").withColumnRenamed("dec_lsn", "_lsn"), ORDERS);

    assertThat(rows.select(byLong.sequence(0)).collectAsList())
        .extracting(r -> String.valueOf(r.get(0)))
        .containsExactly("7", "null", "3");
    assertThat(
            rows.drop("_lsn")
                .withColumnRenamed("dec_lsn", "_lsn")
                .select(byDecimal.sequence(0))
                .collectAsList())
        .extracting(r -> String.valueOf(r.get(0)))
        .containsExactly("7", "null", "null");
  }

  @Test
  void contractCheckCountsEachKindOfViolation() {
    Dataset<Row> rows =
        Fixtures.load(
            spark,
            "fixtures/orders_invalid_history.csv",
            "order_id INT, status STRING, _change_type STRING, _lsn STRING");
    BronzeHistory history = history(rows, ORDERS);

    ContractReport report = history.check();

    assertThat(report.rows()).isEqualTo(10);
    assertThat(report.invalidRows())
        .as("one row has both a null key and an unreadable LSN")
        .isEqualTo(4);
    assertThat(report.violations()).isEqualTo(5);
    assertThat(report.nullKeys()).isEqualTo(2);
    assertThat(report.nullSequences()).isEqualTo(2);
    assertThat(report.unknownChangeTypes()).isEqualTo(1);
    assertThat(report.unknownChangeTypeExamples()).containsExactly("upsert");
    assertThat(report.isClean()).isFalse();
    assertThat(history.invalidRows().count()).isEqualTo(4);
    assertThat(history.validRows().count()).isEqualTo(6);
    assertThat(report.details())
        .isEqualTo(
            "2 with a null key (order_id), 2 with a null or unreadable _lsn, 1 with an unknown _change_type (seen: 'upsert'; allowed: insert, update_preimage, update_postimage, delete)");
  }

  @Test
  void everyInvalidRowSaysWhy() {
    Dataset<Row> rows =
        Fixtures.load(
            spark,
            "fixtures/orders_invalid_history.csv",
            "order_id INT, status STRING, _change_type STRING, _lsn STRING");

    List<Row> reasons =
        history(rows, ORDERS)
            .invalidRows()
            .select("status", "_lsn", "_quarantine_reason")
            .orderBy("status")
            .collectAsList();

    assertThat(reasons)
        .extracting(Row::toString)
        .containsExactly(
            "[lost,not-an-lsn,null key; null or unreadable _lsn]",
            "[new,11,null key]",
            "[new,null,null or unreadable _lsn]",
            "[new,12,unknown _change_type]");
  }

  @Test
  void nullChangeTypeIsUnknown() {
    Dataset<Row> rows =
        History.cookbook("order_id INT").insert(1, 1).event(null, 2L, 1).toDataset(spark);

    ContractReport report = history(rows, ORDERS).check();

    assertThat(report.unknownChangeTypes()).isEqualTo(1);
    assertThat(report.unknownChangeTypeExamples()).containsExactly("NULL");
  }

  @Test
  void historyTableIsReadFromTheBronzeSchemaAndMustExist() {
    PipelineConfig config =
        new PipelineConfig(
            "test.yml", "main", "bronze", "silver", "gold", List.of(ORDERS), List.of());

    assertThatThrownBy(() -> BronzeHistory.read(spark, config, ORDERS))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Bronze table main.bronze.lb_orders_history for entity 'orders' does not exist. Point catalog/schemas.bronze in test.yml at your Lakehouse Sync tables, or write sample history first (the generate command).");

    History.cookbook("order_id INT").insert(1, 7).writeTo(spark, config.historyTable(ORDERS));
    assertThat(BronzeHistory.read(spark, config, ORDERS).rows().count()).isEqualTo(1);
  }
}
