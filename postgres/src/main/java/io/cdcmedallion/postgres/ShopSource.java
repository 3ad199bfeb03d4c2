package io.cdcmedallion.postgres;

import io.cdcmedallion.errors.Errors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The sample shop as Postgres tables (the columns of the generated bronze tables, so silver and
 * gold run unchanged) and a scripted workload of inserts, updates and deletes, for the Postgres
 * demo and tests. The workload is plain SQL, the same on every run.
 */
public final class ShopSource {
  /** The shop tables, in dependency order. */
  public static final List<String> TABLES =
      List.of("customers", "products", "orders", "order_items");

  private static final String SCHEMA =
      """
      CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');
      CREATE TABLE customers (customer_id bigint PRIMARY KEY, name text NOT NULL,
        email varchar(200), region text, created_at timestamptz);
      CREATE TABLE products (product_id bigint PRIMARY KEY, name text NOT NULL,
        category text, price numeric(10,2));
      CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id bigint, status order_status,
        total_amount numeric(12,2), created_at timestamptz);
      CREATE TABLE order_items (order_id bigint, line_no int, product_id bigint, quantity int,
        unit_price numeric(10,2), PRIMARY KEY (order_id, line_no));
      ALTER TABLE customers REPLICA IDENTITY FULL;
      ALTER TABLE products REPLICA IDENTITY FULL;
      ALTER TABLE orders REPLICA IDENTITY FULL;
      ALTER TABLE order_items REPLICA IDENTITY FULL;
      """;

  /** Initial rows: 40 customers, 12 products, 60 orders of 1 to 3 lines each. */
  private static final String INITIAL =
      """
      INSERT INTO customers
        SELECT i, 'Customer ' || i, 'customer' || i || '@example.com',
               (ARRAY['EMEA', 'NA', 'APAC', 'LATAM'])[1 + i % 4],
               timestamptz '2026-01-01 09:00:00+00' + i * interval '1 hour'
        FROM generate_series(1, 40) i;
      INSERT INTO products
        SELECT i, 'Product ' || i, (ARRAY['books', 'home', 'toys'])[1 + i % 3],
               (i * 3 + 0.99)::numeric(10,2)
        FROM generate_series(1, 12) i;
      INSERT INTO orders
        SELECT i, 1 + i % 40, 'pending', 0,
               timestamptz '2026-01-05 10:00:00+00' + (i % 7) * interval '1 day' + i * interval '1 minute'
        FROM generate_series(1, 60) i;
      INSERT INTO order_items
        SELECT o, l, 1 + (o * l) % 12, 1 + (o + l) % 4, (1 + (o * l) % 12) * 3 + 0.99
        FROM generate_series(1, 60) o, generate_series(1, 3) l WHERE l <= 1 + o % 3;
      UPDATE orders o SET total_amount = t.total
        FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) t
        WHERE t.order_id = o.order_id;
      """;

  /**
   * Changes, in several transactions: orders move through their statuses (one row updated twice in
   * one transaction), prices and e-mails change, order lines are changed and deleted, customers and
   * orders are deleted, and new customers and orders arrive.
   */
  private static final List<String> CHANGES =
      List.of(
          "UPDATE orders SET status = 'paid' WHERE order_id % 2 = 0",
          """
          UPDATE orders SET status = 'shipped' WHERE order_id % 4 = 0;
          UPDATE orders SET status = 'delivered' WHERE order_id % 8 = 0;
          UPDATE products SET price = price + 1 WHERE product_id % 5 = 0
          """,
          """
          UPDATE customers SET email = 'new' || customer_id || '@example.com', region = 'NA'
            WHERE customer_id % 6 = 0;
          DELETE FROM order_items WHERE order_id % 9 = 0 AND line_no > 1;
          UPDATE order_items SET quantity = quantity + 2 WHERE order_id % 5 = 0
          """,
          """
          DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM orders WHERE customer_id = 7);
          DELETE FROM orders WHERE customer_id = 7;
          DELETE FROM customers WHERE customer_id = 7;
          UPDATE orders SET status = 'cancelled' WHERE order_id % 11 = 0
          """,
          """
          INSERT INTO customers VALUES (41, 'Customer 41', NULL, 'APAC', '2026-02-01 08:30:00+00'),
            (7, 'Customer 7 again', 'back7@example.com', 'EMEA', '2026-02-01 08:45:00+00');
          INSERT INTO orders VALUES (61, 41, 'pending', 12.99, '2026-02-02 12:00:00+00'),
            (62, 7, 'paid', 6.99, '2026-02-02 12:05:00+00');
          INSERT INTO order_items VALUES (61, 1, 4, 1, 12.99), (62, 1, 2, 1, 6.99)
          """);

  private ShopSource() {}

  /** Creates the shop tables (replica identity FULL) in the connection's current schema. */
  public static void createSchema(Connection connection) {
    run(connection, List.of(SCHEMA));
  }

  /** Inserts the initial rows in one transaction. */
  public static void loadInitialRows(Connection connection) {
    run(connection, List.of(INITIAL));
  }

  /** The number of change transactions {@link #applyChanges} can run. */
  public static int changeCount() {
    return CHANGES.size();
  }

  /**
   * Runs change transactions {@code from} (inclusive) to {@code to} (exclusive), each committed.
   */
  public static void applyChanges(Connection connection, int from, int to) {
    run(connection, CHANGES.subList(from, to));
  }

  private static void run(Connection connection, List<String> transactions) {
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String transaction : transactions) {
          for (String sql : transaction.split(";\\s*\\n")) {
            if (!sql.isBlank()) {
              statement.execute(sql);
            }
          }
          connection.commit();
        }
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed("shop workload", Errors.firstLine(e), e);
    }
  }
}
