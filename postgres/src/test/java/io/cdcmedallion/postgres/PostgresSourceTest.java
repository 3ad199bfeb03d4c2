package io.cdcmedallion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.testing.SparkTestBase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Postgres → history tables → silver, and gold → Postgres, end to end against an embedded
 * PostgreSQL 17.
 */
class PostgresSourceTest extends SparkTestBase {
  private static LocalPostgres postgres;
  private static Connection connection;

  @BeforeAll
  static void startPostgres() {
    postgres = LocalPostgres.start();
    connection = postgres.source().open();
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    connection.close();
    postgres.close();
  }

  private static SyncSettings settings(
      String slot, Optional<List<String>> tables, MetadataShape shape) {
    return new SyncSettings(
        "public",
        tables,
        shape,
        Duration.ofSeconds(15),
        true,
        slot,
        SyncSettings.TruncatePolicy.STOP);
  }

  private static SyncResult sync(
      SyncSettings settings, String bronzeSchema, SyncListener listener) {
    return new PostgresSync(
            spark,
            postgres.source(),
            settings,
            t -> new TableName("main", bronzeSchema, "lb_" + t + "_history"),
            listener)
        .run();
  }

  private static void execute(String... statements) throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  @Test
  void silverEqualsPostgresAfterWorkloadSyncedInThreeRuns() throws SQLException {
    ShopSource.createSchema(connection);
    ShopSource.loadInitialRows(connection);
    SyncSettings shop = settings("shop", Optional.of(ShopSource.TABLES), MetadataShape.COOKBOOK);

    SyncResult first = sync(shop, "bronze", new SyncListener() {});
    assertThat(first.snapshotRows())
        .containsEntry("customers", 40L)
        .containsEntry("products", 12L)
        .containsEntry("orders", 60L);
    assertThat(first.transactions()).isZero();

    // The sync stops and restarts in the middle of the workload.
    ShopSource.applyChanges(connection, 0, 2);
    SyncResult second = sync(shop, "bronze", new SyncListener() {});
    assertThat(second.snapshotRows()).isEmpty();
    assertThat(second.transactions()).isEqualTo(2);
    assertThat(second.changeRows()).containsEntry("orders", 2L * (30 + 15 + 7));

    ShopSource.applyChanges(connection, 2, ShopSource.changeCount());
    SyncResult third = sync(shop, "bronze", new SyncListener() {});
    assertThat(third.transactions()).isEqualTo(ShopSource.changeCount() - 2);

    PipelineConfig config = PipelineConfigs.load(Optional.empty());
    new MedallionPipeline(spark, config, new io.cdcmedallion.pipeline.PipelineListener() {})
        .silver(Optional.empty());
    for (EntityConfig entity : config.entities()) {
      Dataset<Row> silver = spark.table(config.silverTable(entity).quoted());
      assertDatasetEquals(postgresRows(entity.name(), silver.schema()), silver);
    }
  }

  @Test
  void crashBetweenDeltaCommitAndAcknowledgementWritesEveryChangeOnce() throws SQLException {
    execute(
        "CREATE TABLE crash_t (id int PRIMARY KEY, v text)",
        "ALTER TABLE crash_t REPLICA IDENTITY FULL",
        "INSERT INTO crash_t VALUES (1, 'a')");
    SyncSettings crash = settings("crash", Optional.of(List.of("crash_t")), MetadataShape.LAKEBASE);
    sync(crash, "bronze_crash", new SyncListener() {});

    execute(
        "INSERT INTO crash_t VALUES (2, 'b')",
        "BEGIN; UPDATE crash_t SET v = 'c' WHERE id = 1; DELETE FROM crash_t WHERE id = 2; COMMIT");
    SyncListener crashing =
        new SyncListener() {
          @Override
          public void flushed(Map<TableName, Long> rows, int transactions, String lsn) {
            throw new IllegalStateException("crash after the Delta commit, before the ack");
          }
        };
    assertThatThrownBy(() -> sync(crash, "bronze_crash", crashing))
        .hasMessage("crash after the Delta commit, before the ack");

    execute(
        "CREATE TABLE other_t (id int PRIMARY KEY)", "ALTER TABLE other_t REPLICA IDENTITY FULL");
    assertThatThrownBy(
            () ->
                sync(
                    settings(
                        "crash",
                        Optional.of(List.of("crash_t", "other_t")),
                        MetadataShape.LAKEBASE),
                    "bronze_crash",
                    new SyncListener() {}))
        .hasMessage(
            "Publication crash covers public.crash_t, but this sync asks for public.crash_t,"
                + " public.other_t. Pass the same --tables as on the first start, or use another"
                + " --slot (a new slot starts with a snapshot).");

    SyncResult restart = sync(crash, "bronze_crash", new SyncListener() {});
    assertThat(restart.skippedTransactions()).isEqualTo(2);
    assertThat(restart.transactions()).isZero();

    execute("INSERT INTO crash_t VALUES (3, 'd')");
    assertThat(sync(crash, "bronze_crash", new SyncListener() {}).transactions()).isEqualTo(1);

    List<String> history =
        spark
            .sql(
                "SELECT id, v, _pg_change_type, _pg_xid IS NOT NULL, _sort_by = _pg_lsn * 4 + "
                    + "CASE _pg_change_type WHEN 'update_preimage' THEN 1 "
                    + "WHEN 'update_postimage' THEN 2 ELSE 0 END "
                    + "FROM main.bronze_crash.lb_crash_t_history ORDER BY _pg_lsn, _sort_by")
            .collectAsList()
            .stream()
            .map(Row::toString)
            .toList();
    assertThat(history)
        .containsExactly(
            "[1,a,insert,false,true]",
            "[2,b,insert,true,true]",
            "[1,a,update_preimage,true,true]",
            "[1,c,update_postimage,true,true]",
            "[2,b,delete,true,true]",
            "[3,d,insert,true,true]");
  }

  @Test
  void truncateStopsTheSyncAfterCommittingTheChangesBeforeIt() throws SQLException {
    execute(
        "CREATE TABLE trunc_t (id int PRIMARY KEY, v text)",
        "ALTER TABLE trunc_t REPLICA IDENTITY FULL");
    SyncSettings trunc = settings("trunc", Optional.of(List.of("trunc_t")), MetadataShape.COOKBOOK);
    sync(trunc, "bronze_trunc", new SyncListener() {});
    execute("INSERT INTO trunc_t VALUES (1, 'a')", "TRUNCATE trunc_t");

    assertThatThrownBy(() -> sync(trunc, "bronze_trunc", new SyncListener() {}))
        .hasMessageMatching(
            "Sync stopped: TRUNCATE of trunc_t at LSN [0-9A-F]+/[0-9A-F]+ cannot be written as row"
                + " changes; the changes before it are committed\\. Rebuild the history from a new"
                + " snapshot \\(drop the slot and the history table\\), or rerun with --on-truncate"
                + " skip to ignore truncates\\.");
    assertThat(rows("SELECT id, v, _change_type FROM main.bronze_trunc.lb_trunc_t_history"))
        .extracting(Row::toString)
        .containsExactly("[1,a,insert]");
  }

  @Test
  void incompatibleSchemaChangeStopsTheSync() throws SQLException {
    execute(
        "CREATE TABLE change_t (id int PRIMARY KEY, v text)",
        "ALTER TABLE change_t REPLICA IDENTITY FULL");
    SyncSettings change =
        settings("change", Optional.of(List.of("change_t")), MetadataShape.COOKBOOK);
    sync(change, "bronze_change", new SyncListener() {});
    execute(
        "ALTER TABLE change_t ALTER COLUMN v TYPE int USING 0",
        "INSERT INTO change_t VALUES (1, 5)");

    assertThatThrownBy(() -> sync(change, "bronze_change", new SyncListener() {}))
        .hasMessage(
            "Sync stopped: table change_t changed from (id int, v string) to (id int, v int), which"
                + " history table main.bronze_change.lb_change_t_history cannot follow (only new"
                + " columns at the end can be added). Recreate the history table (drop it and the"
                + " replication slot) to start over from a new snapshot.");
  }

  @Test
  void everySupportedTypeArrivesWithItsDeltaTypeFromSnapshotAndStream() throws SQLException {
    execute(
        "CREATE TYPE mood AS ENUM ('happy', 'sad')",
        "CREATE TABLE types_t (id bigint PRIMARY KEY, flag bool, small int2, n int4, name text,"
            + " code varchar(10), letter char(3), doc jsonb, amount numeric(12,2), day date,"
            + " at timestamp, at_tz timestamptz, ratio real, score float8, feeling mood)",
        "ALTER TABLE types_t REPLICA IDENTITY FULL",
        "INSERT INTO types_t VALUES (1, true, 7, -42, 'héllo', 'ab', 'x', '{\"a\": [1, 2]}',"
            + " 12345.67, '2026-03-01', '2026-03-01 12:34:56.789', '2026-03-01 12:34:56.5+02',"
            + " 1.5, 2.25, 'sad')");
    SyncSettings types = settings("types", Optional.of(List.of("types_t")), MetadataShape.COOKBOOK);
    sync(types, "bronze_types", new SyncListener() {});
    execute(
        "INSERT INTO types_t SELECT 2, flag, small, n, name, code, letter, doc, amount, day, at,"
            + " at_tz, ratio, score, feeling FROM types_t WHERE id = 1",
        "INSERT INTO types_t (id) VALUES (3)");
    sync(types, "bronze_types", new SyncListener() {});

    Dataset<Row> history = spark.table("main.bronze_types.lb_types_t_history");
    assertThat(history.drop("_change_type", "_lsn", "_commit_timestamp").schema().simpleString())
        .isEqualTo(
            "struct<id:bigint,flag:boolean,small:smallint,n:int,name:string,code:string,"
                + "letter:string,doc:string,amount:decimal(12,2),day:date,at:timestamp_ntz,"
                + "at_tz:timestamp,ratio:float,score:double,feeling:string>");
    List<String> values =
        history
            .selectExpr(
                "id",
                "flag",
                "small",
                "n",
                "name",
                "code",
                "letter",
                "doc",
                "amount",
                "CAST(day AS STRING)",
                "CAST(at AS STRING)",
                "unix_millis(at_tz)",
                "ratio",
                "score",
                "feeling")
            .orderBy("id")
            .collectAsList()
            .stream()
            .map(Row::toString)
            .toList();
    assertThat(values)
        .containsExactly(
            "[1,true,7,-42,héllo,ab,x  ,{\"a\": [1, 2]},12345.67,2026-03-01,"
                + "2026-03-01 12:34:56.789,1772361296500,1.5,2.25,sad]",
            "[2,true,7,-42,héllo,ab,x  ,{\"a\": [1, 2]},12345.67,2026-03-01,"
                + "2026-03-01 12:34:56.789,1772361296500,1.5,2.25,sad]",
            "[3,null,null,null,null,null,null,null,null,null,null,null,null,null,null]");
  }

  @Test
  void publishSnapshotThenTriggeredKeepsPostgresEqualToGold() throws SQLException {
    TableName gold = new TableName("main", "gold", "gold_daily_order_summary");
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("order_date", DataTypes.DateType, true),
                DataTypes.createStructField("status", DataTypes.StringType, true),
                DataTypes.createStructField("order_count", DataTypes.LongType, true),
                DataTypes.createStructField(
                    "total_revenue", DataTypes.createDecimalType(12, 2), true)));
    io.cdcmedallion.lakehouse.Tables.replace(
        spark,
        spark.createDataFrame(
            List.of(
                summary("2026-01-01", "paid", 2, "10.00"),
                summary("2026-01-01", "pending", 1, "5.50"),
                summary("2026-01-02", "paid", 1, "3.00")),
            schema),
        gold);
    PostgresPublish publish = new PostgresPublish(spark);
    String select =
        "SELECT order_date, status, order_count, total_revenue FROM public.gold_daily_order_summary"
            + " ORDER BY 1, 2";

    PublishResult first = publishSummary(publish, gold, PublishMode.SNAPSHOT);
    publishSummary(publish, gold, PublishMode.SNAPSHOT);

    assertThat(first.key()).containsExactly("order_date", "status");
    assertThat(first.keySource()).isEqualTo("grouping columns of gold_daily_order_summary");
    assertThat(postgres(select))
        .containsExactly(
            "2026-01-01|paid|2|10.00", "2026-01-01|pending|1|5.50", "2026-01-02|paid|1|3.00");
    assertThat(
            postgres(
                "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE conrelid = 'public.gold_daily_order_summary'::regclass"))
        .containsExactly("gold_daily_order_summary_pkey PRIMARY KEY (order_date, status)");

    io.cdcmedallion.lakehouse.Tables.replace(
        spark,
        spark.createDataFrame(
            List.of(
                summary("2026-01-01", "paid", 3, "15.00"),
                summary("2026-01-01", "pending", 1, "5.50"),
                summary("2026-01-03", "shipped", 1, "7.00")),
            schema),
        gold);
    PublishResult triggered = publishSummary(publish, gold, PublishMode.TRIGGERED);

    assertThat(triggered.upserted()).isEqualTo(2);
    assertThat(triggered.deleted()).isEqualTo(1);
    assertThat(postgres(select))
        .containsExactly(
            "2026-01-01|paid|3|15.00", "2026-01-01|pending|1|5.50", "2026-01-03|shipped|1|7.00");
  }

  private static PublishResult publishSummary(
      PostgresPublish publish, TableName gold, PublishMode mode) {
    return publish.publish(
        gold, connection, "public", "gold_daily_order_summary", Optional.empty(), mode);
  }

  private static Row summary(String date, String status, long count, String revenue) {
    return RowFactory.create(
        java.sql.Date.valueOf(date), status, count, new java.math.BigDecimal(revenue));
  }

  private static List<String> postgres(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          values.add(rs.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  /** {@code SELECT *} of a Postgres table, read with plain JDBC getters into silver's schema. */
  private static Dataset<Row> postgresRows(String table, StructType schema) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM public." + table)) {
      while (rs.next()) {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
          StructField field = schema.fields()[i];
          values[i] = value(rs, field.name(), field.dataType());
        }
        rows.add(RowFactory.create(values));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  private static Object value(ResultSet rs, String column, DataType type) throws SQLException {
    Object value;
    if (type.equals(DataTypes.LongType)) {
      value = rs.getLong(column);
    } else if (type.equals(DataTypes.IntegerType)) {
      value = rs.getInt(column);
    } else if (type instanceof DecimalType) {
      value = rs.getBigDecimal(column);
    } else if (type.equals(DataTypes.TimestampType)) {
      value = rs.getTimestamp(column);
    } else {
      value = rs.getString(column);
    }
    return rs.wasNull() ? null : value;
  }
}
