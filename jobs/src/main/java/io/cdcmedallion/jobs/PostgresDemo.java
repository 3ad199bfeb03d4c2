package io.cdcmedallion.jobs;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.postgres.LocalPostgres;
import io.cdcmedallion.postgres.PgSource;
import io.cdcmedallion.postgres.PostgresErrors;
import io.cdcmedallion.postgres.PublishMode;
import io.cdcmedallion.postgres.ShopSource;
import io.cdcmedallion.postgres.SyncSettings;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code demo --source postgres}: an embedded Postgres with the shop tables, a scripted workload,
 * sync (snapshot, then streamed changes) into bronze, silver, gold, gold published back to
 * Postgres, and a SELECT from Postgres.
 */
final class PostgresDemo {
  private static final String GOLD = "gold_daily_order_summary";

  private PostgresDemo() {}

  static void run(JobContext context) {
    Console console = context.console;
    long start = System.nanoTime();
    try (LocalPostgres postgres = LocalPostgres.start();
        Connection connection = postgres.source().open()) {
      PgSource source = postgres.source();
      console.step(
          "postgres",
          "embedded PostgreSQL 17 (wal_level=logical) at %s in %s",
          postgres.jdbcUrl(),
          Console.seconds(System.nanoTime() - start));
      ShopSource.createSchema(connection);
      ShopSource.loadInitialRows(connection);
      console.step("postgres", "shop tables created and loaded: %s", counts(connection));

      SyncSettings settings =
          new SyncSettings(
              "public",
              Optional.of(ShopSource.TABLES),
              MetadataShape.COOKBOOK,
              Duration.ofSeconds(15),
              true,
              "medallion",
              SyncSettings.TruncatePolicy.STOP);
      SyncCommand.sync(context, source, settings);

      ShopSource.applyChanges(connection, 0, ShopSource.changeCount());
      console.step(
          "postgres",
          "workload: %d transactions of updates, deletes and inserts; now %s",
          ShopSource.changeCount(),
          counts(connection));
      SyncCommand.sync(context, source, settings);

      MedallionPipeline pipeline = new MedallionPipeline(context.spark, context.config, console);
      pipeline.silver(Optional.empty());
      pipeline.gold(Optional.empty());
      for (EntityConfig entity : context.config.entities()) {
        TableName silver = context.config.silverTable(entity);
        console.step(
            "check",
            "%-12s silver %s rows, Postgres %s rows",
            entity.name(),
            Console.count(Tables.count(context.spark, silver)),
            Console.count(count(connection, entity.name())));
      }

      PublishCommand.publish(
          context,
          source,
          context.config.goldTableName(GOLD),
          "public",
          GOLD,
          Optional.empty(),
          PublishMode.SNAPSHOT);
      String query = "SELECT * FROM public." + GOLD + " ORDER BY order_date DESC, status LIMIT 5";
      console.out().println();
      console.out().println("From Postgres: " + query);
      print(connection, query, console.out());
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed("Postgres demo", Errors.firstLine(e), e);
    }
  }

  private static String counts(Connection connection) throws SQLException {
    List<String> parts = new ArrayList<>();
    for (String table : ShopSource.TABLES) {
      parts.add(table + " " + count(connection, table));
    }
    return String.join(", ", parts);
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM public." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void print(Connection connection, String query, PrintStream out)
      throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      List<String[]> rows = new ArrayList<>();
      String[] header = new String[n];
      for (int i = 0; i < n; i++) {
        header[i] = rs.getMetaData().getColumnName(i + 1);
      }
      rows.add(header);
      while (rs.next()) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          row[i] = String.valueOf(rs.getString(i + 1));
        }
        rows.add(row);
      }
      TextTable.print(rows, out);
    }
  }
}
