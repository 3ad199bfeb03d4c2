package io.cdcmedallion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.errors.MedallionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Set<String> BUILTINS =
      Set.of(
          "gold_daily_order_summary", "gold_customer_lifetime_value", "gold_daily_product_sales");

  private final ConfigLoader loader = new ConfigLoader(BUILTINS);

  /** Parses {@code yaml} as {@code test.yml}, with {@code sqlFiles} as the files next to it. */
  private PipelineConfig parse(String yaml, Map<String, String> sqlFiles) {
    return loader.parse(yaml, "test.yml", path -> Optional.ofNullable(sqlFiles.get(path)));
  }

  private PipelineConfig parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static MedallionException configError(Throwable t) {
    assertThat(t).isInstanceOf(MedallionException.class);
    MedallionException e = (MedallionException) t;
    assertThat(e.kind()).isEqualTo(MedallionException.Kind.CONFIG);
    return e;
  }

  @Test
  void shippedSampleLoadsWithDefaultSchemasAndFourEntities() {
    PipelineConfig config = loader.loadSample();

    assertThat(config.source()).isEqualTo("classpath:cdc-medallion/shop-pipeline.yml");
    assertThat(config.catalog()).isEqualTo("main");
    assertThat(List.of(config.bronzeSchema(), config.silverSchema(), config.goldSchema()))
        .containsExactly("bronze", "silver", "gold");
    assertThat(config.entities())
        .extracting(EntityConfig::name)
        .containsExactly("customers", "products", "orders", "order_items");
    assertThat(config.entity("order_items").orElseThrow().keys())
        .containsExactly("order_id", "line_no");
    assertThat(config.gold())
        .extracting(GoldTableConfig::name)
        .containsExactly(
            "gold_daily_order_summary",
            "gold_customer_lifetime_value",
            "gold_daily_product_sales",
            "gold_revenue_by_region");
    GoldTableConfig sqlTable = config.goldTable("gold_revenue_by_region").orElseThrow();
    assertThat(sqlTable.sql().orElseThrow())
        .contains("FROM silver_customers c")
        .doesNotEndWith(";");
  }

  @Test
  void omittedCatalogAndSchemasDefaultToMainBronzeSilverGold() {
    PipelineConfig config = parse("entities:\n  - name: orders\n    keys: [order_id]\n");

    assertThat(config.catalog()).isEqualTo("main");
    assertThat(config.historyTable(config.entities().get(0)).toString())
        .isEqualTo("main.bronze.lb_orders_history");
    assertThat(config.silverTable(config.entities().get(0)).toString())
        .isEqualTo("main.silver.silver_orders");
    assertThat(config.quarantineTable(config.entities().get(0)).toString())
        .isEqualTo("main.silver.quarantine_orders");
    assertThat(config.goldSchema()).isEqualTo("gold");
    assertThat(config.gold()).isEmpty();
  }

  @Test
  void partlyGivenSchemasKeepDefaultsForTheRest() {
    PipelineConfig config =
        parse(
            "catalog: shop\nschemas:\n  bronze: lakebase_sync\nentities:\n  - {name: orders, keys: [order_id]}\n");

    assertThat(config.historyTable(config.entities().get(0)).toString())
        .isEqualTo("shop.lakebase_sync.lb_orders_history");
    assertThat(config.silverSchema()).isEqualTo("silver");
    assertThat(config.goldSchema()).isEqualTo("gold");
  }

  @Test
  void entityDefaultsAreDetectedShapePickOnTiesAndFailOnInvalidRows() {
    EntityConfig orders =
        parse("entities:\n  - name: orders\n    keys: [order_id]\n").entities().get(0);

    assertThat(orders.shape()).isEmpty();
    assertThat(orders.onTie()).isEqualTo(TiePolicy.PICK);
    assertThat(orders.onInvalidRows()).isEqualTo(InvalidRowPolicy.FAIL);
    assertThat(orders.historyTableName()).isEqualTo("lb_orders_history");
    assertThat(orders.silverTableName()).isEqualTo("silver_orders");
  }

  @Test
  void entityOverridesAreRead() {
    EntityConfig items =
        parse(
                """
                entities:
                  - name: order_items
                    keys: [order_id, line_no]
                    shape: lakebase
                    on_tie: fail
                    on_invalid_rows: quarantine
                    history_table: lb_items_history
                    silver_table: items
                """)
            .entities()
            .get(0);

    assertThat(items.keys()).containsExactly("order_id", "line_no");
    assertThat(items.shape()).contains(MetadataShape.LAKEBASE);
    assertThat(items.onTie()).isEqualTo(TiePolicy.FAIL);
    assertThat(items.onInvalidRows()).isEqualTo(InvalidRowPolicy.QUARANTINE);
    assertThat(items.historyTableName()).isEqualTo("lb_items_history");
    assertThat(items.silverTableName()).isEqualTo("items");
  }

  @Test
  void scdTwoAndTrackedColumnsAreReadAndScdOneIsTheDefault() {
    PipelineConfig config =
        parse(
            """
            entities:
              - name: orders
                keys: [order_id]
                scd: 2
                track_history_columns: [status, total]
              - name: customers
                keys: [customer_id]
                scd: 2
                track_history_except_columns: [updated_at]
              - name: products
                keys: [product_id]
                scd: 2
              - name: order_items
                keys: [order_id, line_no]
            """);

    EntityConfig orders = config.entity("orders").orElseThrow();
    assertThat(orders.scd()).isEqualTo(ScdType.TYPE_2);
    assertThat(orders.trackHistory()).isEqualTo(TrackedColumns.only(List.of("status", "total")));
    assertThat(orders.trackHistory().tracked(List.of("total", "note", "status")))
        .containsExactly("total", "status");
    TrackedColumns customers = config.entity("customers").orElseThrow().trackHistory();
    assertThat(customers.tracked(List.of("email", "updated_at", "region")))
        .containsExactly("email", "region");
    assertThat(config.entity("products").orElseThrow().trackHistory())
        .isEqualTo(TrackedColumns.all());
    EntityConfig items = config.entity("order_items").orElseThrow();
    assertThat(items.scd()).isEqualTo(ScdType.TYPE_1);
    assertThat(items.withOnTie(TiePolicy.FAIL).withShape(Optional.empty()).scd())
        .as("copies keep the SCD setting")
        .isEqualTo(ScdType.TYPE_1);
    assertThat(orders.withOnTie(TiePolicy.FAIL).trackHistory()).isEqualTo(orders.trackHistory());
  }

  @Test
  void badScdSettingsAreRejectedWithTheirLineAndWhatToDo() {
    String entity = "entities:\n  - name: orders\n    keys: [order_id]\n";
    assertThatThrownBy(() -> parse(entity + "    scd: 3\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage("test.yml:4: entities[0].scd is '3'; expected one of 1, 2.");
    assertThatThrownBy(() -> parse(entity + "    track_history_columns: [status]\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].track_history_columns is set, but entity history is kept only with scd: 2; expected 'scd: 2' on this entity, or no track_history_columns.");
    assertThatThrownBy(
            () ->
                parse(
                    entity
                        + "    scd: 2\n    track_history_columns: [status]\n"
                        + "    track_history_except_columns: [note]\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:6: entities[0].track_history_except_columns is given together with track_history_columns; expected one of the two: the columns whose changes open a new version, or the columns whose changes do not.");
    assertThatThrownBy(
            () -> parse(entity + "    scd: 2\n    track_history_columns: [status, order_id]\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: entities[0].track_history_columns[1] is key column 'order_id'; expected value columns only (the keys identify the versions and are never tracked).");
    assertThatThrownBy(() -> parse(entity + "    scd: 2\n    track_history_columns: []\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: entities[0].track_history_columns is empty; expected at least one value column (omit the field to track every value column).");
    assertThatThrownBy(
            () -> parse(entity + "    scd: 2\n    track_history_except_columns: [a, b, a]\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: entities[0].track_history_except_columns[2] repeats column 'a'; expected each column once.");
    assertThatThrownBy(() -> parse(entity + "    scd: 2\n    ignore_null_updates: true\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: entities[0].ignore_null_updates is true, but SCD type 2 history does not carry values over null updates; expected ignore_null_updates: false with scd: 2, or scd: 1.");
  }

  @Test
  void shapeAutoMeansDetect() {
    EntityConfig orders =
        parse("entities:\n  - name: orders\n    keys: [order_id]\n    shape: auto\n")
            .entities()
            .get(0);

    assertThat(orders.shape()).isEmpty();
  }

  @Test
  void singleKeyMayBeGivenWithoutBrackets() {
    EntityConfig orders =
        parse("entities:\n  - name: orders\n    keys: order_id\n").entities().get(0);

    assertThat(orders.keys()).containsExactly("order_id");
  }

  @Test
  void unknownTopLevelFieldIsRejectedWithItsLineAndTheKnownFields() {
    String yaml = "catalog: main\nentites:\n  - name: orders\n    keys: [order_id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:2: entites is not a known field; expected fields catalog, entities, gold, incremental, schemas (did you mean 'entities'?).");
  }

  @Test
  void unknownEntityFieldIsRejectedWithItsPath() {
    String yaml = "entities:\n  - name: orders\n    key: [order_id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:3: entities[0].key is not a known field; expected fields ")
        .hasMessageContaining("keys");
  }

  @Test
  void missingEntitiesIsRejected() {
    assertThatThrownBy(() -> parse("catalog: main\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:1: entities is missing; expected a list of entities, each with name and keys.");
  }

  @Test
  void missingKeysIsRejected() {
    String yaml = "entities:\n  - name: orders\n  - name: customers\n    keys: [customer_id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:2: entities[0].keys is missing; expected the primary key column(s), e.g. keys: [order_id].");
  }

  @Test
  void keysThatAreNotAListAreRejected() {
    String yaml = "entities:\n  - name: orders\n    keys:\n      order_id: int\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].keys is not a list; expected a YAML list (items starting with '- ' or [a, b]).");
  }

  @Test
  void emptyKeysAreRejected() {
    String yaml = "entities:\n  - name: orders\n    keys: []\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:3: entities[0].keys is empty; expected one or more primary key columns.");
  }

  @Test
  void keyListedTwiceIsRejected() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id, order_id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:3: entities[0].keys lists a column twice: [order_id, order_id]; expected each key column once.");
  }

  @Test
  void entityNameThatIsNotAnIdentifierIsRejected() {
    String yaml = "entities:\n  - name: \"orders; DROP TABLE x\"\n    keys: [order_id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:2: entities[0].name is 'orders; DROP TABLE x', not a plain identifier; expected letters, digits and underscores, starting with a letter or underscore (at most 128).");
  }

  @Test
  void keyColumnThatIsNotAnIdentifierIsRejected() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id, \"line-no\"]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:3: entities[0].keys[1] is 'line-no', not a plain identifier;");
  }

  @Test
  void schemaThatIsNotAnIdentifierIsRejected() {
    String yaml =
        "schemas:\n  silver: silver.v2\nentities:\n  - {name: orders, keys: [order_id]}\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:2: schemas.silver is 'silver.v2', not a plain identifier;");
  }

  @Test
  void badShapeValueIsRejectedWithTheAllowedValues() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id]\n    shape: debezium\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].shape is 'debezium'; expected auto, cookbook (_change_type, _lsn, _commit_timestamp) or lakebase (_pg_change_type, _pg_lsn, ...).");
  }

  @Test
  void badOnTieValueIsRejectedWithTheAllowedValues() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id]\n    on_tie: newest\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage("test.yml:4: entities[0].on_tie is 'newest'; expected one of pick, fail.");
  }

  @Test
  void badOnInvalidRowsValueIsRejectedWithTheAllowedValues() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id]\n    on_invalid_rows: drop\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].on_invalid_rows is 'drop'; expected one of fail, quarantine.");
  }

  @Test
  void duplicateEntityIsRejected() {
    String yaml =
        "entities:\n  - name: orders\n    keys: [order_id]\n  - name: orders\n    keys: [id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[1].name repeats entity 'orders'; expected each entity once.");
  }

  @Test
  void fieldGivenTwiceIsRejected() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id]\n    keys: [id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage("test.yml:4: entities[0].keys is given twice; expected each field once.");
  }

  @Test
  void emptyEntityListIsRejected() {
    assertThatThrownBy(() -> parse("entities: []\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:1: entities is empty; expected at least one entity with name and keys.");
  }

  @Test
  void emptyFileIsRejected() {
    assertThatThrownBy(() -> parse("# nothing here\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage("test.yml:1: (file) is empty; expected at least an 'entities' list.");
  }

  @Test
  void invalidYamlIsRejectedWithItsLine() {
    String yaml = "entities:\n  - name: orders\n    keys: [order_id\n  - name: customers\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageMatching("test\\.yml:\\d+: \\(file\\) is not valid YAML: .+")
        .hasMessageStartingWith("test.yml:4:");
  }

  @Test
  void unknownBuiltinGoldTableIsRejectedWithTheBuiltinNames() {
    String yaml =
        "entities:\n  - {name: orders, keys: [order_id]}\ngold:\n  - name: gold_daily_order_summary\n  - name: gold_weekly\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: gold[1].name is 'gold_weekly', which is not a built-in gold table; expected one of gold_customer_lifetime_value, gold_daily_order_summary, gold_daily_product_sales, or add 'sql: <file>.sql' holding one SELECT.");
  }

  @Test
  void goldSqlFileIsReadAndItsTrailingSemicolonDropped() {
    String yaml =
        "entities:\n  - {name: orders, keys: [order_id]}\ngold:\n  - name: gold_x\n    sql: gold/x.sql\n";

    PipelineConfig config =
        parse(
            yaml,
            Map.of(
                "gold/x.sql",
                "-- orders per status\nSELECT status, count(*) AS n FROM silver_orders GROUP BY status;\n"));

    GoldTableConfig table = config.gold().get(0);
    assertThat(table.isSql()).isTrue();
    assertThat(table.sql())
        .contains(
            "-- orders per status\nSELECT status, count(*) AS n FROM silver_orders GROUP BY status");
    assertThat(table.sqlSource()).contains("gold/x.sql");
  }

  @Test
  void missingGoldSqlFileIsRejected() {
    String yaml =
        "entities:\n  - {name: orders, keys: [order_id]}\ngold:\n  - name: gold_x\n    sql: gold/x.sql\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: gold[0].sql names 'gold/x.sql', which cannot be read; expected a .sql file path relative to the config file.");
  }

  @Test
  void goldSqlFileWithTwoStatementsIsRejected() {
    String yaml =
        "entities:\n  - {name: orders, keys: [order_id]}\ngold:\n  - name: gold_x\n    sql: x.sql\n";

    assertThatThrownBy(
            () ->
                parse(yaml, Map.of("x.sql", "SELECT 1 AS a;\nDROP TABLE silver.silver_orders;\n")))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: gold[0].sql file 'x.sql' does not hold exactly one SELECT statement; expected one SELECT (or WITH ... SELECT) without CREATE and without a second statement.");
  }

  @Test
  void goldSqlFileWithCreateIsRejected() {
    String yaml =
        "entities:\n  - {name: orders, keys: [order_id]}\ngold:\n  - name: gold_x\n    sql: x.sql\n";

    assertThatThrownBy(
            () ->
                parse(
                    yaml,
                    Map.of("x.sql", "CREATE OR REFRESH MATERIALIZED VIEW gold_x AS SELECT 1 AS a")))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:5: gold[0].sql file 'x.sql' does not hold exactly one SELECT statement;");
  }

  @Test
  void semicolonsInsideStringsAndCommentsDoNotCountAsStatements() {
    assertThat(
            ConfigLoader.singleSelect(
                "WITH a AS (SELECT ';' AS s) /* ; */ SELECT s FROM a -- ; ok\n"))
        .isEqualTo("WITH a AS (SELECT ';' AS s) /* ; */ SELECT s FROM a -- ; ok");
  }

  @Test
  void fileOnDiskResolvesSqlPathsNextToIt(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("gold"));
    Files.writeString(dir.resolve("gold/top.sql"), "SELECT 1 AS a\n");
    Path file = dir.resolve("pipeline.yml");
    Files.writeString(
        file,
        "entities:\n  - {name: orders, keys: [order_id]}\ngold:\n  - {name: gold_top, sql: gold/top.sql}\n");

    PipelineConfig config = loader.load(file);

    assertThat(config.source()).isEqualTo(file.toString());
    assertThat(config.gold().get(0).sql()).contains("SELECT 1 AS a");
  }

  @Test
  void errorsInAFileOnDiskNameThatFileAndLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("pipeline.yml");
    Files.writeString(
        file, "entities:\n  - name: orders\n    keys: [order_id]\n    on_tie: maybe\n");

    assertThatThrownBy(() -> loader.load(file))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(file + ":4: entities[0].on_tie is 'maybe'");
  }

  @Test
  void missingConfigFileIsRejected(@TempDir Path dir) {
    Path file = dir.resolve("nope.yml");

    assertThatThrownBy(() -> loader.load(file))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith("Cannot read config file " + file)
        .hasMessageContaining("Pass an existing YAML file with --config");
  }

  @Test
  void incrementalSettingsAreReadWithDefaults() {
    String base = "entities:\n  - name: orders\n    keys: [order_id]\n";
    assertThat(parse(base).incremental()).isEqualTo(IncrementalConfig.defaults());
    assertThat(IncrementalConfig.defaults().tombstoneRetention()).isEqualTo(Duration.ofDays(7));

    IncrementalConfig read =
        parse(
                base
                    + "incremental:\n  checkpoints: /Volumes/main/silver/checkpoints\n  tombstone_retention: 36h\n")
            .incremental();

    assertThat(read.checkpoints()).contains("/Volumes/main/silver/checkpoints");
    assertThat(read.tombstoneRetention()).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void badTombstoneRetentionIsRejectedWithItsLine() {
    String yaml =
        "entities:\n  - name: orders\n    keys: [order_id]\nincremental:\n  tombstone_retention: 1 week\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: incremental.tombstone_retention is '1 week'; expected a duration such as 7d, 12h, 30m or 0s.");
  }

  private static final String ORDERS = "entities:\n  - name: orders\n    keys: [order_id]\n";

  @Test
  void cdcOptionsAreReadAndDefaultToNone() {
    assertThat(parse(ORDERS).entities().get(0).cdc()).isEqualTo(CdcOptions.NONE);

    CdcOptions cdc =
        parse(
                ORDERS
                    + """
                        sequence_tie_break: [updated_at, version]
                        apply_as_deletes: "is_deleted = true"
                        except_columns: [secret]
                        ignore_null_updates: true
                    """)
            .entities()
            .get(0)
            .cdc();

    assertThat(cdc.sequenceTieBreak()).containsExactly("updated_at", "version");
    assertThat(cdc.applyAsDeletes())
        .contains(new CdcOptions.SqlCondition("is_deleted = true", "test.yml:5"));
    assertThat(cdc.columns()).isEmpty();
    assertThat(cdc.exceptColumns()).containsExactly("secret");
    assertThat(cdc.ignoresNullUpdates()).isTrue();
    assertThat(parse(ORDERS + "    columns: total\n").entities().get(0).cdc().columns())
        .containsExactly("total");
  }

  @Test
  void columnsTogetherWithExceptColumnsIsRejected() {
    String yaml = ORDERS + "    columns: [a]\n    except_columns: [b]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:5: entities[0].except_columns is given together with 'columns'; expected either 'columns' (the columns to keep) or 'except_columns' (the columns to drop).");
  }

  @Test
  void keyInExceptColumnsIsRejected() {
    String yaml = ORDERS + "    except_columns: [note, order_id]\n";

    assertThatThrownBy(() -> parse(yaml))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].except_columns lists key column 'order_id'; expected data columns only; key columns are always kept.");
  }

  @Test
  void badColumnListsAreRejectedWithTheirPath() {
    assertThatThrownBy(() -> parse(ORDERS + "    columns: []\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].columns is empty; expected one or more column names, or leave it out.");
    assertThatThrownBy(() -> parse(ORDERS + "    sequence_tie_break: [v, v]\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].sequence_tie_break lists 'v' twice; expected each column once.");
    assertThatThrownBy(() -> parse(ORDERS + "    except_columns: [\"a b\"]\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:4: entities[0].except_columns[0] is 'a b', not a plain identifier");
  }

  @Test
  void applyAsDeletesWithBadSyntaxIsRejectedWithItsLine() {
    assertThatThrownBy(() -> parse(ORDERS + "    apply_as_deletes: \"is_deleted = \"\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:4: entities[0].apply_as_deletes is not a valid SQL expression (")
        .hasMessageEndingWith("; expected a boolean Spark SQL expression, e.g. is_deleted = true.");
    assertThatThrownBy(() -> parse(ORDERS + "    apply_as_deletes: \"\"\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessageStartingWith(
            "test.yml:4: entities[0].apply_as_deletes is not a valid SQL expression (it is empty)");
  }

  @Test
  void ignoreNullUpdatesMustBeTrueOrFalse() {
    assertThat(
            parse(ORDERS + "    ignore_null_updates: false\n")
                .entities()
                .get(0)
                .cdc()
                .nullUpdates())
        .isEqualTo(CdcOptions.NullUpdates.OVERWRITE);
    assertThatThrownBy(() -> parse(ORDERS + "    ignore_null_updates: sometimes\n"))
        .satisfies(ConfigLoaderTest::configError)
        .hasMessage(
            "test.yml:4: entities[0].ignore_null_updates is 'sometimes'; expected true or false.");
  }
}
