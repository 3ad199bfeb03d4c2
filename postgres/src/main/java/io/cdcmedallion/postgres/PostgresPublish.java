package io.cdcmedallion.postgres;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.postgres.internal.PgCatalog;
import io.cdcmedallion.sql.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a gold table into a Postgres table with a primary key, so an application can read it with
 * plain SQL: a local stand-in for a Lakebase synced table (reverse ETL). Gold tables are small
 * aggregates, so the rows travel through the driver.
 */
public final class PostgresPublish {
  /** Primary keys of the built-in gold tables: their grouping columns. */
  private static final Map<String, List<String>> GROUPING_COLUMNS =
      Map.of(
          "gold_daily_order_summary", List.of("order_date", "status"),
          "gold_customer_lifetime_value", List.of("customer_id"),
          "gold_daily_product_sales",
              List.of("sale_date", "category", "product_id", "product_name"),
          "gold_revenue_by_region", List.of("region"));

  private static final int BATCH = 1_000;

  private final SparkSession spark;

  public PostgresPublish(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Publishes {@code gold} to {@code schema.table} in Postgres.
   *
   * @param key primary key columns; empty means the grouping columns of a built-in gold table
   */
  public PublishResult publish(
      TableName gold,
      Connection connection,
      String schema,
      String table,
      Optional<List<String>> key,
      PublishMode mode) {
    Identifiers.requireValid(schema, "Postgres schema");
    Identifiers.requireValid(table, "Postgres table");
    StructType columns = spark.table(gold.quoted()).schema();
    String keySource = key.isPresent() ? "--key" : "grouping columns of " + gold.table();
    List<String> keyColumns =
        key.or(() -> Optional.ofNullable(GROUPING_COLUMNS.get(gold.table())))
            .orElseThrow(() -> PostgresErrors.publishNoKey(gold.toString()));
    List<String> names = List.of(columns.fieldNames());
    for (String column : keyColumns) {
      if (!names.contains(column)) {
        throw PostgresErrors.publishBadKey(gold.toString(), column, String.join(", ", names));
      }
    }
    List<Row> rows = spark.table(gold.quoted()).collectAsList();
    String target = PgCatalog.quote(schema) + "." + PgCatalog.quote(table);
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        long[] counts =
            mode == PublishMode.SNAPSHOT
                ? snapshot(connection, gold, columns, keyColumns, rows, schema, table)
                : triggered(connection, gold, columns, keyColumns, rows, target, table);
        connection.commit();
        return new PublishResult(
            schema + "." + table, mode, keyColumns, keySource, rows.size(), counts[0], counts[1]);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed(
          "publish to " + schema + "." + table, Errors.firstLine(e), e);
    }
  }

  private long[] snapshot(
      Connection connection,
      TableName gold,
      StructType columns,
      List<String> key,
      List<Row> rows,
      String schema,
      String table)
      throws SQLException {
    String fresh = table + "__medallion_new";
    String old = table + "__medallion_old";
    String q = PgCatalog.quote(schema) + ".";
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + q + PgCatalog.quote(fresh));
      s.execute(createTable(gold, q + PgCatalog.quote(fresh), columns, key, ""));
      insert(connection, q + PgCatalog.quote(fresh), columns, rows, "");
      s.execute(
          "ALTER TABLE IF EXISTS "
              + q
              + PgCatalog.quote(table)
              + " RENAME TO "
              + PgCatalog.quote(old));
      s.execute("DROP TABLE IF EXISTS " + q + PgCatalog.quote(old));
      s.execute(
          "ALTER TABLE " + q + PgCatalog.quote(fresh) + " RENAME TO " + PgCatalog.quote(table));
      s.execute(
          "ALTER INDEX "
              + q
              + PgCatalog.quote(fresh + "_pkey")
              + " RENAME TO "
              + PgCatalog.quote(table + "_pkey"));
    }
    return new long[] {rows.size(), 0};
  }

  private long[] triggered(
      Connection connection,
      TableName gold,
      StructType columns,
      List<String> key,
      List<Row> rows,
      String target,
      String table)
      throws SQLException {
    String keyList = quotedList(key);
    List<String> values = new ArrayList<>();
    for (String name : columns.fieldNames()) {
      if (!key.contains(name)) {
        values.add(name);
      }
    }
    try (Statement s = connection.createStatement()) {
      s.execute(createTable(gold, target, columns, key, "IF NOT EXISTS "));
      s.execute("CREATE TEMP TABLE medallion_incoming (LIKE " + target + ") ON COMMIT DROP");
      insert(connection, "medallion_incoming", columns, rows, "");
      String conflict;
      if (values.isEmpty()) {
        conflict = "DO NOTHING";
      } else {
        List<String> sets = new ArrayList<>();
        for (String v : values) {
          sets.add(PgCatalog.quote(v) + " = EXCLUDED." + PgCatalog.quote(v));
        }
        conflict =
            "DO UPDATE SET "
                + String.join(", ", sets)
                + " WHERE ("
                + prefixed("t.", values)
                + ") IS DISTINCT FROM ("
                + prefixed("EXCLUDED.", values)
                + ")";
      }
      int upserted =
          s.executeUpdate(
              "INSERT INTO "
                  + target
                  + " AS t SELECT * FROM medallion_incoming ON CONFLICT ("
                  + keyList
                  + ") "
                  + conflict);
      List<String> match = new ArrayList<>();
      for (String k : key) {
        match.add("i." + PgCatalog.quote(k) + " = t." + PgCatalog.quote(k));
      }
      int deleted =
          s.executeUpdate(
              "DELETE FROM "
                  + target
                  + " t WHERE NOT EXISTS (SELECT 1 FROM medallion_incoming i WHERE "
                  + String.join(" AND ", match)
                  + ")");
      return new long[] {upserted, deleted};
    }
  }

  private static String createTable(
      TableName gold, String target, StructType columns, List<String> key, String ifNotExists) {
    List<String> definitions = new ArrayList<>();
    for (StructField field : columns.fields()) {
      String type = PgTypes.postgresType(field.dataType());
      if (type == null) {
        throw PostgresErrors.publishUnsupportedType(
            gold.toString(), field.name(), field.dataType().simpleString());
      }
      definitions.add(
          PgCatalog.quote(field.name())
              + " "
              + type
              + (key.contains(field.name()) ? " NOT NULL" : ""));
    }
    definitions.add("PRIMARY KEY (" + quotedList(key) + ")");
    return "CREATE TABLE " + ifNotExists + target + " (" + String.join(", ", definitions) + ")";
  }

  private static void insert(
      Connection connection, String target, StructType columns, List<Row> rows, String suffix)
      throws SQLException {
    String placeholders = String.join(", ", java.util.Collections.nCopies(columns.size(), "?"));
    String sql =
        "INSERT INTO "
            + target
            + " ("
            + quotedList(List.of(columns.fieldNames()))
            + ") VALUES ("
            + placeholders
            + ")"
            + suffix;
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      int pending = 0;
      for (Row row : rows) {
        for (int i = 0; i < columns.size(); i++) {
          insert.setObject(i + 1, row.get(i));
        }
        insert.addBatch();
        if (++pending == BATCH) {
          insert.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        insert.executeBatch();
      }
    }
  }

  private static String quotedList(List<String> names) {
    return String.join(", ", names.stream().map(PgCatalog::quote).toList());
  }

  private static String prefixed(String prefix, List<String> names) {
    return String.join(", ", names.stream().map(n -> prefix + PgCatalog.quote(n)).toList());
  }
}
