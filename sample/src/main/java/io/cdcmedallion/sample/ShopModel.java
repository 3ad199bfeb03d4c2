package io.cdcmedallion.sample;

import static io.cdcmedallion.sample.Rng.idiv;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The shop's tables and the values of their rows, as column expressions of a key and a version
 * number (the n-th state of that key). The initial history and appends share these, so a row's
 * pre-image can be recomputed from its key and version.
 */
final class ShopModel {
  static final String CUSTOMERS = "customers";
  static final String PRODUCTS = "products";
  static final String ORDERS = "orders";
  static final String ORDER_ITEMS = "order_items";

  /** Entities in the order they are written and reported. */
  static final List<String> ENTITIES = List.of(CUSTOMERS, PRODUCTS, ORDERS, ORDER_ITEMS);

  static final List<String> CUSTOMER_COLUMNS =
      List.of("customer_id", "name", "email", "region", "created_at");
  static final List<String> PRODUCT_COLUMNS = List.of("product_id", "name", "category", "price");
  static final List<String> ORDER_COLUMNS =
      List.of("order_id", "customer_id", "status", "total_amount", "created_at");
  static final List<String> ORDER_ITEM_COLUMNS =
      List.of("order_id", "line_no", "product_id", "quantity", "unit_price");

  static final List<String> REGIONS = List.of("EMEA", "NA", "APAC", "LATAM");
  static final List<String> CATEGORIES =
      List.of("electronics", "books", "home", "garden", "toys", "sports", "grocery", "fashion");
  static final List<String> STATUSES =
      List.of("pending", "paid", "shipped", "delivered", "cancelled");

  /**
   * Customers whose id is a multiple of this are the only ones ever deleted (and re-inserted);
   * orders reference only the others, so an order never points at a deleted customer.
   */
  static final long CUSTOMER_CHURN = 50;

  /** Products whose id is a multiple of this are discontinued (deleted); items never use them. */
  static final long PRODUCT_CHURN = 25;

  private static final List<String> FIRST_NAMES =
      List.of(
          "Ada", "Ben", "Chloe", "Diego", "Elif", "Farah", "Gus", "Hana", "Ivan", "Jade", "Kofi",
          "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko", "Uma", "Vera",
          "Wei", "Yara");
  private static final List<String> LAST_NAMES =
      List.of(
          "Adams",
          "Bauer",
          "Costa",
          "Dubois",
          "Eriksen",
          "Fischer",
          "Garcia",
          "Haddad",
          "Ito",
          "Jensen",
          "Kowalski",
          "Lopez",
          "Moreau",
          "Nakamura",
          "Okafor",
          "Patel",
          "Rossi",
          "Silva",
          "Tanaka",
          "Weber");
  private static final List<String> DOMAINS =
      List.of("example.com", "mail.example", "shop.example", "inbox.example", "post.example");
  private static final List<String> ADJECTIVES =
      List.of(
          "Classic",
          "Compact",
          "Deluxe",
          "Eco",
          "Essential",
          "Pro",
          "Smart",
          "Ultra",
          "Vintage",
          "Mini");

  /** Four nouns per category, in {@link #CATEGORIES} order. */
  private static final List<String> NOUNS =
      List.of(
          "Headphones",
          "Charger",
          "Speaker",
          "Tablet",
          "Novel",
          "Cookbook",
          "Atlas",
          "Journal",
          "Lamp",
          "Kettle",
          "Blanket",
          "Mug",
          "Trowel",
          "Planter",
          "Hose",
          "Seeds",
          "Puzzle",
          "Robot",
          "Kite",
          "Blocks",
          "Racket",
          "Yoga Mat",
          "Bottle",
          "Helmet",
          "Coffee",
          "Tea",
          "Olive Oil",
          "Granola",
          "Scarf",
          "Sneakers",
          "Jacket",
          "Backpack");

  private final Rng rng;

  ShopModel(Rng rng) {
    this.rng = rng;
  }

  // ---------------------------------------------------------------- customers

  Column customerName(Column id) {
    return concat(pick(FIRST_NAMES, "c.first", id), lit(" "), pick(LAST_NAMES, "c.last", id));
  }

  /** Email of version {@code version}: {@code first.last<id>[+<version>]@domain}. */
  Column customerEmail(Column id, Column version) {
    Column local =
        concat(
            pick(lowerCase(FIRST_NAMES), "c.first", id),
            lit("."),
            pick(lowerCase(LAST_NAMES), "c.last", id),
            id.cast("string"));
    Column suffix =
        when(version.gt(0), concat(lit("+"), version.cast("string"))).otherwise(lit(""));
    return concat(local, suffix, lit("@"), pick(DOMAINS, "c.domain", id, version));
  }

  /** Region of version {@code version}; consecutive versions always differ. */
  Column customerRegion(Column id, Column version) {
    Column first = rng.below(REGIONS.size(), "c.region", id);
    Column step = lit(1).plus(rng.below(REGIONS.size() - 1, "c.region_step", id));
    return element_at(
        strings(REGIONS),
        pmod(first.plus(version.multiply(step)), lit(REGIONS.size())).plus(1).cast("int"));
  }

  // ---------------------------------------------------------------- products

  Column productCategory(Column id) {
    return element_at(strings(CATEGORIES), categoryIndex(id).plus(1).cast("int"));
  }

  Column productName(Column id) {
    Column noun =
        element_at(
            strings(NOUNS),
            categoryIndex(id).multiply(4).plus(rng.below(4, "p.noun", id)).plus(1).cast("int"));
    return concat(pick(ADJECTIVES, "p.adjective", id), lit(" "), noun);
  }

  /** Price in cents of version {@code version}: a list price ending in .99, then +-20%. */
  Column productPriceCents(Column id, Column version) {
    Column list = lit(1).plus(rng.below(300, "p.price", id)).multiply(100).minus(1);
    Column changed =
        idiv(list.multiply(lit(80).plus(rng.below(41, "p.reprice", id, version))), 100);
    return when(version.leq(0), list).otherwise(greatest(lit(99L), changed)).cast("long");
  }

  private Column categoryIndex(Column id) {
    return rng.below(CATEGORIES.size(), "p.category", id);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The {@code q}-th (0-based) id in {@code 1, 2, ...} that is not a multiple of {@code churn}: ids
   * that are never deleted.
   */
  static Column nonChurnId(Column q, long churn) {
    return q.plus(idiv(q, churn - 1)).plus(1);
  }

  /** A pseudo-random id in {@code [1, maxId]} that is not a multiple of {@code churn}. */
  Column pickNonChurnId(Column maxId, long churn, String salt, Column... parts) {
    Column available = maxId.minus(idiv(maxId, churn));
    return nonChurnId(rng.below(available, salt, parts), churn);
  }

  /** Cents as a decimal with two digits after the point. */
  static Column money(Column cents, int precision) {
    return cents
        .cast(DataTypes.createDecimalType(18, 0))
        .multiply(lit(new BigDecimal("0.01")))
        .cast(DataTypes.createDecimalType(precision, 2));
  }

  /** The data columns of {@code entity}, cast to their declared types, then the event columns. */
  static Dataset<Row> typed(Dataset<Row> events, String entity) {
    List<Column> columns =
        switch (entity) {
          case CUSTOMERS ->
              List.of(
                  col("customer_id").cast("bigint"),
                  col("name").cast("string"),
                  col("email").cast("string"),
                  col("region").cast("string"),
                  col("created_at").cast("timestamp"));
          case PRODUCTS ->
              List.of(
                  col("product_id").cast("bigint"),
                  col("name").cast("string"),
                  col("category").cast("string"),
                  col("price").cast("decimal(10,2)"));
          case ORDERS ->
              List.of(
                  col("order_id").cast("bigint"),
                  col("customer_id").cast("bigint"),
                  col("status").cast("string"),
                  col("total_amount").cast("decimal(12,2)"),
                  col("created_at").cast("timestamp"));
          case ORDER_ITEMS ->
              List.of(
                  col("order_id").cast("bigint"),
                  col("line_no").cast("int"),
                  col("product_id").cast("bigint"),
                  col("quantity").cast("int"),
                  col("unit_price").cast("decimal(10,2)"));
          default -> throw new IllegalArgumentException("unknown entity " + entity);
        };
    List<String> names = columns(entity);
    Column[] out = new Column[names.size() + 4];
    for (int i = 0; i < names.size(); i++) {
      out[i] = columns.get(i).as(names.get(i));
    }
    out[names.size()] = col(Timeline.KIND).cast("string");
    out[names.size() + 1] = col(Timeline.TICK).cast("long");
    out[names.size() + 2] = col(Timeline.LANE).cast("long");
    out[names.size() + 3] = col(Timeline.ORD).cast("long");
    return events.select(out);
  }

  static List<String> columns(String entity) {
    return switch (entity) {
      case CUSTOMERS -> CUSTOMER_COLUMNS;
      case PRODUCTS -> PRODUCT_COLUMNS;
      case ORDERS -> ORDER_COLUMNS;
      case ORDER_ITEMS -> ORDER_ITEM_COLUMNS;
      default -> throw new IllegalArgumentException("unknown entity " + entity);
    };
  }

  /** Key columns of {@code entity}. */
  static List<String> keys(String entity) {
    return entity.equals(ORDER_ITEMS)
        ? List.of("order_id", "line_no")
        : List.of(columns(entity).get(0));
  }

  static Column strings(List<String> values) {
    return array(values.stream().map(v -> lit(v)).toArray(Column[]::new));
  }

  /**
   * The names in lower case, for the email: lowered here rather than with Spark's {@code lower},
   * which maps case through ICU row by row and loads ICU's case tables (seconds) on first use.
   */
  private static List<String> lowerCase(List<String> names) {
    return names.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
  }

  private Column pick(List<String> values, String salt, Column... parts) {
    return element_at(strings(values), rng.below(values.size(), salt, parts).plus(1).cast("int"));
  }
}
