package io.cdcmedallion.sample;

import static io.cdcmedallion.sample.Rng.idiv;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.cdcmedallion.bronze.ChangeType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first 90 days of the shop, as events (data columns plus the {@link Timeline} event columns).
 * Every key's life is planned from its id alone, so each row is computed independently of all
 * others: {@code spark.range} of keys, then arrays of that key's events, then {@code explode}.
 * Events past the horizon are dropped; since a key's events only move forward in time, what remains
 * is always a consistent prefix of its life.
 */
final class InitialHistory {
  static final long DAY = 1440;

  /** Length of the initial history in minutes (ticks). */
  static final long HORIZON = 90 * DAY;

  private static final long SIGNUP_SPAN = 60 * DAY;
  private static final long FIRST_ORDER_TICK = 120;
  private static final long ORDER_SPAN = HORIZON - FIRST_ORDER_TICK - 2 * DAY;
  private static final long HOT_CUSTOMERS = 3;
  private static final long HOT_PRODUCTS = 2;
  private static final long CUSTOMER_UPDATE_GAP = 10 * DAY;
  private static final long PRODUCT_UPDATE_GAP = 12 * DAY;
  private static final long HOT_PRODUCT_UPDATE_GAP = 3;
  private static final long MAX_LINES = 4;

  private static final String INSERT = ChangeType.INSERT.value();
  private static final String PRE = ChangeType.UPDATE_PREIMAGE.value();
  private static final String POST = ChangeType.UPDATE_POSTIMAGE.value();
  private static final String DELETE = ChangeType.DELETE.value();

  private final SparkSession spark;
  private final GeneratorSettings settings;
  private final Rng rng;
  private final ShopModel model;

  InitialHistory(SparkSession spark, GeneratorSettings settings) {
    this.spark = spark;
    this.settings = settings;
    this.rng = new Rng(settings.seed());
    this.model = new ShopModel(rng);
  }

  /** Events of {@code entity}, typed. */
  Dataset<Row> events(String entity) {
    Dataset<Row> events =
        switch (entity) {
          case ShopModel.CUSTOMERS -> customers();
          case ShopModel.PRODUCTS -> products();
          case ShopModel.ORDERS -> orders();
          case ShopModel.ORDER_ITEMS -> orderItems();
          default -> throw new IllegalArgumentException("unknown entity " + entity);
        };
    return ShopModel.typed(events, entity);
  }

  /**
   * True for events of transactions that arrive late, in the second commit: a pseudo-random quarter
   * of the transactions after the first day. A transaction is one tick and lane, so pre- and
   * post-images, and an order with its lines, always arrive together.
   */
  Column arrivesLate() {
    Column tick = col(Timeline.TICK);
    return tick.geq(DAY).and(rng.below(4, "late", tick, col(Timeline.LANE)).equalTo(0));
  }

  /**
   * Adds the churn lifecycle after a key's {@code last} update: {@code deleted_at}, {@code
   * reinserted_at}, and {@code comes_back} (every other churned key returns under the same id).
   *
   * @param tag prefix of the random streams, so each entity draws its own numbers
   */
  private Dataset<Row> withChurnLifecycle(
      Dataset<Row> plan,
      Column id,
      String tag,
      long churnEvery,
      long deleteWindow,
      long reinsertWindow) {
    return plan.withColumn(
            "deleted_at", col("last").plus(DAY).plus(rng.below(deleteWindow, tag + ".delete", id)))
        .withColumn(
            "reinserted_at",
            col("deleted_at").plus(DAY).plus(rng.below(reinsertWindow, tag + ".reinsert", id)))
        .withColumn("comes_back", col("churn").and(pmod(idiv(id, churnEvery), lit(2)).equalTo(1)));
  }

  /**
   * Update {@code j} of {@code 1..m} as a pre-image and a post-image event; keys with no update (m
   * = 0) get nulls, which {@code explodeEvents} drops.
   */
  private static Column updatePairs(
      Column m, Function<Column, Column> preImage, Function<Column, Column> postImage) {
    return flatten(
        transform(
            sequence(lit(1L), greatest(m, lit(1L))),
            j -> array(when(j.leq(m), preImage.apply(j)), when(j.leq(m), postImage.apply(j)))));
  }

  // ---------------------------------------------------------------- customers

  private Dataset<Row> customers() {
    long n = settings.customers();
    Column c = col("customer_id");
    Column hot = col("hot");
    Column m = col("m");
    Dataset<Row> plan =
        keys(n, "customer_id")
            .withColumn("ct", idiv(c.minus(1).multiply(SIGNUP_SPAN), n))
            .withColumn("hot", c.leq(HOT_CUSTOMERS))
            .withColumn("churn", pmod(c, lit(ShopModel.CUSTOMER_CHURN)).equalTo(0).and(not(hot)))
            .withColumn(
                "m",
                when(hot, lit(12L).plus(rng.below(9, "c.hot_updates", c)))
                    .otherwise(weighted(rng.below(100, "c.updates", c), 45, 75, 92)))
            .withColumn("burst", col("ct").plus(DAY).plus(rng.below(20 * DAY, "c.burst", c)));
    Function<Column, Column> tick =
        j ->
            when(hot, col("burst").plus(j.multiply(2)).plus(rng.below(2, "c.hot_tick", c, j)))
                .otherwise(
                    col("ct")
                        .plus(j.multiply(CUSTOMER_UPDATE_GAP))
                        .plus(rng.below(CUSTOMER_UPDATE_GAP, "c.tick", c, j)));
    plan =
        withChurnLifecycle(
            plan.withColumn("last", when(m.gt(0), tick.apply(m)).otherwise(col("ct"))),
            c,
            "c",
            ShopModel.CUSTOMER_CHURN,
            14 * DAY,
            7 * DAY);

    Column updates =
        updatePairs(
            m,
            j -> customerEvent(PRE, tick.apply(j), j.minus(1), col("ct")),
            j -> customerEvent(POST, tick.apply(j), j, col("ct")));
    Column events =
        concat(
            array(customerEvent(INSERT, col("ct"), lit(0L), col("ct"))),
            updates,
            array(
                when(col("churn"), customerEvent(DELETE, col("deleted_at"), m, col("ct"))),
                when(
                    col("comes_back"),
                    customerEvent(INSERT, col("reinserted_at"), m.plus(1), col("reinserted_at")))));
    Column lane = Timeline.lane(c, Timeline.TAG_CUSTOMER);
    return explodeEvents(plan, events)
        .select(
            c,
            model.customerName(c).as("name"),
            model.customerEmail(c, col("e.v")).as("email"),
            model.customerRegion(c, col("e.v")).as("region"),
            Timeline.timestamp(col("e.created"), lane).as("created_at"),
            col("e." + Timeline.KIND).as(Timeline.KIND),
            col("e." + Timeline.TICK).as(Timeline.TICK),
            lane.as(Timeline.LANE),
            col("e." + Timeline.ORD).as(Timeline.ORD));
  }

  private static Column customerEvent(
      String kind, Column tick, Column version, Column createdTick) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        lit(0L).as(Timeline.ORD),
        version.cast("long").as("v"),
        createdTick.cast("long").as("created"));
  }

  // ---------------------------------------------------------------- products

  private Column productHot(Column p) {
    return p.leq(HOT_PRODUCTS);
  }

  private Column productUpdates(Column p) {
    return when(productHot(p), lit(15L).plus(rng.below(11, "p.hot_updates", p)))
        .otherwise(weighted(rng.below(100, "p.updates", p), 40, 70, 90, 97))
        .cast("long");
  }

  private static Column productCreatedTick(Column p) {
    return pmod(p.minus(1), lit(100L));
  }

  /**
   * Price update {@code j} of product {@code p} falls in {@code [base + j * gap, base + (j + 1) *
   * gap)}.
   */
  private Column productUpdateBase(Column p) {
    return when(productHot(p), lit(10 * DAY).plus(rng.below(30, "p.burst", p).multiply(DAY)))
        .otherwise(productCreatedTick(p));
  }

  private Column productUpdateGap(Column p) {
    return when(productHot(p), lit(HOT_PRODUCT_UPDATE_GAP)).otherwise(lit(PRODUCT_UPDATE_GAP));
  }

  private Column productUpdateTick(Column p, Column j) {
    return productUpdateTick(p, j, productUpdateBase(p), productUpdateGap(p));
  }

  private Column productUpdateTick(Column p, Column j, Column base, Column gap) {
    return base.plus(j.multiply(gap)).plus(rng.below(gap, "p.tick", p, j));
  }

  /**
   * Adds, for each lookup {@code {product, tick, out}}, the column {@code out}: the price in cents
   * of the product in column {@code product} at the tick in column {@code tick}. Its version is how
   * many price updates came before; each update has its own slot of {@code gap} ticks, so only the
   * update in the slot holding the tick needs a look, the ones before it all came earlier.
   *
   * <p>Every intermediate value is a column of its own, computed once and then referred to by name:
   * written as one nested expression, each lookup repeats the product's hashes dozens of times and
   * the plan grows to megabytes that Spark is slow to analyse, optimize and compile.
   */
  private Dataset<Row> withPricesAt(Dataset<Row> plan, List<String[]> lookups) {
    List<Column> plans = new ArrayList<>(List.of(col("*")));
    List<Column> slots = new ArrayList<>(List.of(col("*")));
    List<Column> versions = new ArrayList<>(List.of(col("*")));
    List<Column> prices = new ArrayList<>(List.of(col("*")));
    List<String> temporary = new ArrayList<>();
    for (String[] lookup : lookups) {
      Column p = col(lookup[0]);
      Column t = col(lookup[1]);
      String out = lookup[2];
      Column m = col(out + "_m");
      Column base = col(out + "_base");
      Column gap = col(out + "_gap");
      Column slot = col(out + "_slot");
      plans.add(productUpdates(p).as(out + "_m"));
      plans.add(productUpdateBase(p).as(out + "_base"));
      plans.add(productUpdateGap(p).as(out + "_gap"));
      Column since = t.minus(base);
      slots.add(when(since.geq(0), idiv(since, gap)).otherwise(lit(0L)).as(out + "_slot"));
      Column before = least(m, greatest(slot.minus(1), lit(0L)));
      Column inSlot =
          when(
                  slot.geq(1).and(slot.leq(m)).and(productUpdateTick(p, slot, base, gap).lt(t)),
                  lit(1L))
              .otherwise(lit(0L));
      versions.add(before.plus(inSlot).as(out + "_v"));
      prices.add(model.productPriceCents(p, col(out + "_v")).as(out));
      temporary.addAll(List.of(out + "_m", out + "_base", out + "_gap", out + "_slot", out + "_v"));
    }
    return plan.select(plans.toArray(new Column[0]))
        .select(slots.toArray(new Column[0]))
        .select(versions.toArray(new Column[0]))
        .select(prices.toArray(new Column[0]))
        .drop(temporary.toArray(new String[0]));
  }

  private Dataset<Row> products() {
    long n = settings.products();
    Column p = col("product_id");
    Column m = col("m");
    Dataset<Row> plan =
        keys(n, "product_id")
            .withColumn("pt", productCreatedTick(p))
            .withColumn("m", productUpdates(p))
            .withColumn(
                "churn", pmod(p, lit(ShopModel.PRODUCT_CHURN)).equalTo(0).and(not(productHot(p))))
            .withColumn("last", when(m.gt(0), productUpdateTick(p, m)).otherwise(col("pt")));
    plan = withChurnLifecycle(plan, p, "p", ShopModel.PRODUCT_CHURN, 10 * DAY, 10 * DAY);
    Column updates =
        updatePairs(
            m,
            j -> productEvent(PRE, productUpdateTick(p, j), j.minus(1)),
            j -> productEvent(POST, productUpdateTick(p, j), j));
    Column events =
        concat(
            array(productEvent(INSERT, col("pt"), lit(0L))),
            updates,
            array(
                when(col("churn"), productEvent(DELETE, col("deleted_at"), m)),
                when(col("comes_back"), productEvent(INSERT, col("reinserted_at"), m.plus(1)))));
    return explodeEvents(plan, events)
        .select(
            p,
            model.productName(p).as("name"),
            model.productCategory(p).as("category"),
            ShopModel.money(model.productPriceCents(p, col("e.v")), 10).as("price"),
            col("e." + Timeline.KIND).as(Timeline.KIND),
            col("e." + Timeline.TICK).as(Timeline.TICK),
            Timeline.lane(p, Timeline.TAG_PRODUCT).as(Timeline.LANE),
            col("e." + Timeline.ORD).as(Timeline.ORD));
  }

  private static Column productEvent(String kind, Column tick, Column version) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        lit(0L).as(Timeline.ORD),
        version.cast("long").as("v"));
  }

  // ---------------------------------------------------------------- orders and their items

  /**
   * One row per order with its whole plan: placement, lines, the optional edit while pending, the
   * status path and the ticks of each step. Built as a few selects of flat columns, each value
   * computed once and referred to by name, so the plan stays small.
   */
  private Dataset<Row> orderPlan() {
    long n = settings.orders();
    long customers = settings.customers();
    long products = settings.products();
    long orderableProducts = products - products / ShopModel.PRODUCT_CHURN;
    Column o = col("order_id");
    Column tk = col("tk");
    Column edit = col("edit");

    Dataset<Row> plan =
        keys(n, "order_id")
            .select(
                o, lit(FIRST_ORDER_TICK).plus(idiv(o.minus(1).multiply(ORDER_SPAN), n)).as("tk"));
    // Line i of every order is planned, lines past n_lines are then dropped: product lp<i>,
    // quantity lq<i>, unit price lu<i>.
    List<Column> placed =
        new ArrayList<>(
            List.of(
                col("*"),
                // Customers signed up before the order (ids are assigned in signup order).
                least(
                        lit(customers),
                        idiv(tk.multiply(customers).plus(SIGNUP_SPAN - 1), SIGNUP_SPAN))
                    .as("signed_up"),
                lit(1L).plus(weighted(rng.below(100, "o.lines", o), 35, 70, 90)).as("n_lines"),
                // Edits while pending: 1 = change a line's quantity, 2 = remove a line and add it
                // back with another product (a delete and a re-insert of the same item key).
                weighted(rng.below(100, "o.edit", o), 84, 94).as("edit"),
                tk.plus(1).plus(rng.below(30, "o.edit_tick", o)).as("te"),
                ShopModel.nonChurnId(
                        rng.below(orderableProducts, "o.readd_product", o), ShopModel.PRODUCT_CHURN)
                    .as("p2"),
                quantity("o.readd_qty", o, lit(0L)).as("q2"),
                // 0 = delivered, 1 = cancelled while pending, 2 = cancelled after payment.
                weighted(rng.below(100, "o.outcome", o), 89, 96).as("outcome")));
    List<String[]> prices = new ArrayList<>();
    for (long i = 1; i <= MAX_LINES; i++) {
      Column line = lit(i);
      placed.add(
          ShopModel.nonChurnId(
                  rng.below(orderableProducts, "o.product", o, line), ShopModel.PRODUCT_CHURN)
              .as("lp" + i));
      placed.add(quantity("o.qty", o, line).as("lq" + i));
      prices.add(new String[] {"lp" + i, "tk", "lu" + i});
    }
    plan =
        plan.select(placed.toArray(new Column[0]))
            .select(
                col("*"),
                model
                    .pickNonChurnId(col("signed_up"), ShopModel.CUSTOMER_CHURN, "o.customer", o)
                    .as("customer_id"),
                lit(1L).plus(rng.below(col("n_lines"), "o.edit_line", o)).as("edit_line"),
                col("te").plus(1).plus(rng.below(60, "o.readd_tick", o)).as("te2"));
    prices.add(new String[] {"p2", "te2", "u2"});
    plan = withPricesAt(plan, prices);

    Column nLines = col("n_lines");
    Column total0 = lit(0L);
    Column[] lines = new Column[(int) MAX_LINES];
    Column[] quantities = new Column[(int) MAX_LINES];
    Column[] units = new Column[(int) MAX_LINES];
    for (int i = 1; i <= MAX_LINES; i++) {
      Column q = col("lq" + i);
      Column u = col("lu" + i);
      lines[i - 1] = struct(col("lp" + i).as("p"), q.as("q"), u.as("u"));
      quantities[i - 1] = q;
      units[i - 1] = u;
      total0 = total0.plus(when(nLines.geq(i), q.multiply(u)).otherwise(lit(0L)));
    }
    Column editLine = col("edit_line").cast("int");
    plan =
        plan.select(
                col("*"),
                // All MAX_LINES lines; orderItems keeps the first n_lines.
                array(lines).as("lines"),
                total0.as("total0"),
                element_at(array(quantities), editLine).as("le_q"),
                element_at(array(units), editLine).as("le_u"))
            .select(col("*"), col("le_q").plus(1).plus(rng.below(3, "o.edit_qty", o)).as("q1"));
    Column leQ = col("le_q");
    Column leU = col("le_u");
    plan =
        plan.select(
                col("*"),
                when(edit.equalTo(1), col("total0").plus(col("q1").minus(leQ).multiply(leU)))
                    .when(edit.equalTo(2), col("total0").minus(leQ.multiply(leU)))
                    .otherwise(col("total0"))
                    .as("total1"),
                when(edit.equalTo(2), col("te2"))
                    .when(edit.equalTo(1), col("te"))
                    .otherwise(tk)
                    .as("pending_until"))
            .select(
                col("*"),
                when(edit.equalTo(2), col("total1").plus(col("q2").multiply(col("u2"))))
                    .otherwise(col("total1"))
                    .as("total"),
                col("pending_until").plus(5).plus(rng.below(235, "o.paid", o)).as("tp"),
                // Some cancelled orders are purged later, with their items.
                col("outcome").gt(0).and(rng.below(100, "o.purge", o).lt(40)).as("purged"))
            .select(
                col("*"),
                col("tp").plus(DAY).plus(rng.below(2 * DAY, "o.shipped", o)).as("ts"),
                when(
                        col("outcome").equalTo(1),
                        col("pending_until").plus(60).plus(rng.below(2 * DAY, "o.cancel", o)))
                    .otherwise(col("tp").plus(30).plus(rng.below(DAY, "o.cancel", o)))
                    .as("tc"))
            .select(
                col("*"),
                col("ts").plus(DAY).plus(rng.below(4 * DAY, "o.delivered", o)).as("td"),
                col("tc").plus(DAY).plus(rng.below(10 * DAY, "o.purge_tick", o)).as("tx"));
    return plan;
  }

  private Dataset<Row> orders() {
    Column o = col("order_id");
    Column edit = col("edit");
    Column outcome = col("outcome");
    Column paidPath = outcome.notEqual(1);
    Column delivered = outcome.equalTo(0);
    Column events =
        array(
            orderEvent(INSERT, col("tk"), "pending", col("total0")),
            when(edit.gt(0), orderEvent(PRE, col("te"), "pending", col("total0"))),
            when(edit.gt(0), orderEvent(POST, col("te"), "pending", col("total1"))),
            when(edit.equalTo(2), orderEvent(PRE, col("te2"), "pending", col("total1"))),
            when(edit.equalTo(2), orderEvent(POST, col("te2"), "pending", col("total"))),
            when(paidPath, orderEvent(PRE, col("tp"), "pending", col("total"))),
            when(paidPath, orderEvent(POST, col("tp"), "paid", col("total"))),
            when(delivered, orderEvent(PRE, col("ts"), "paid", col("total"))),
            when(delivered, orderEvent(POST, col("ts"), "shipped", col("total"))),
            when(delivered, orderEvent(PRE, col("td"), "shipped", col("total"))),
            when(delivered, orderEvent(POST, col("td"), "delivered", col("total"))),
            when(outcome.equalTo(1), orderEvent(PRE, col("tc"), "pending", col("total"))),
            when(outcome.equalTo(2), orderEvent(PRE, col("tc"), "paid", col("total"))),
            when(outcome.gt(0), orderEvent(POST, col("tc"), "cancelled", col("total"))),
            when(col("purged"), orderEvent(DELETE, col("tx"), "cancelled", col("total"))));
    Column lane = Timeline.lane(o, Timeline.TAG_ORDER);
    return explodeEvents(orderPlan(), events)
        .select(
            o,
            col("customer_id"),
            col("e.status").as("status"),
            ShopModel.money(col("e.total"), 12).as("total_amount"),
            Timeline.timestamp(col("tk"), lane).as("created_at"),
            col("e." + Timeline.KIND).as(Timeline.KIND),
            col("e." + Timeline.TICK).as(Timeline.TICK),
            lane.as(Timeline.LANE),
            col("e." + Timeline.ORD).as(Timeline.ORD));
  }

  private static Column orderEvent(String kind, Column tick, String status, Column totalCents) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        lit(0L).as(Timeline.ORD),
        lit(status).as("status"),
        totalCents.cast("long").as("total"));
  }

  private Dataset<Row> orderItems() {
    Column o = col("order_id");
    Column i = col("i");
    Column edit = col("edit");
    Column edited = i.equalTo(col("edit_line"));
    Column p = col("line.p");
    Column q = col("line.q");
    Column u = col("line.u");
    Dataset<Row> lines =
        orderPlan()
            // An expression, not a bare column, so the optimizer infers no filter on the lines
            // array that it would push down and inline into the plan.
            .select(
                col("*"),
                posexplode(slice(col("lines"), lit(1), col("n_lines").cast("int")))
                    .as(new String[] {"pos", "line"}))
            .withColumn("i", col("pos").plus(1).cast("long"));
    Column finalP = when(edit.equalTo(2).and(edited), col("p2")).otherwise(p);
    Column finalQ =
        when(edit.equalTo(1).and(edited), col("q1"))
            .when(edit.equalTo(2).and(edited), col("q2"))
            .otherwise(q);
    Column finalU = when(edit.equalTo(2).and(edited), col("u2")).otherwise(u);
    Column events =
        array(
            itemEvent(INSERT, col("tk"), i, p, q, u),
            when(edit.equalTo(1).and(edited), itemEvent(PRE, col("te"), i, p, q, u)),
            when(edit.equalTo(1).and(edited), itemEvent(POST, col("te"), i, p, col("q1"), u)),
            when(edit.equalTo(2).and(edited), itemEvent(DELETE, col("te"), i, p, q, u)),
            when(
                edit.equalTo(2).and(edited),
                itemEvent(INSERT, col("te2"), i, col("p2"), col("q2"), col("u2"))),
            when(col("purged"), itemEvent(DELETE, col("tx"), i, finalP, finalQ, finalU)));
    return explodeEvents(lines, events)
        .select(
            o,
            i.as("line_no"),
            col("e.p").as("product_id"),
            col("e.q").as("quantity"),
            ShopModel.money(col("e.u"), 10).as("unit_price"),
            col("e." + Timeline.KIND).as(Timeline.KIND),
            col("e." + Timeline.TICK).as(Timeline.TICK),
            Timeline.lane(o, Timeline.TAG_ORDER).as(Timeline.LANE),
            col("e." + Timeline.ORD).as(Timeline.ORD));
  }

  private static Column itemEvent(
      String kind, Column tick, Column line, Column p, Column q, Column u) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        // The order's own row is ordinal 0 of the transaction; its lines follow.
        line.cast("long").as(Timeline.ORD),
        p.cast("long").as("p"),
        q.cast("long").as("q"),
        u.cast("long").as("u"));
  }

  // ---------------------------------------------------------------- helpers

  private Dataset<Row> keys(long n, String name) {
    return spark.range(1, n + 1).select(col("id").as(name));
  }

  /** Keeps the events that are not null and fall inside the horizon, one row each, as {@code e}. */
  private static Dataset<Row> explodeEvents(Dataset<Row> plan, Column events) {
    Column kept = filter(events, e -> e.isNotNull().and(e.getField(Timeline.TICK).lt(HORIZON)));
    return plan.select(col("*"), explode(kept).as("e"));
  }

  /** 1 to 4, mostly 1. */
  private Column quantity(String salt, Column... parts) {
    return lit(1L).plus(weighted(rng.below(100, salt, parts), 70, 85, 95));
  }

  /**
   * 0 when {@code percent} is below the first bound, 1 below the second, ...; {@code percent} is in
   * {@code [0, 100)}.
   */
  private static Column weighted(Column percent, int... bounds) {
    Column result = lit((long) bounds.length);
    for (int k = bounds.length - 1; k >= 0; k--) {
      result = when(percent.lt(bounds[k]), lit((long) k)).otherwise(result);
    }
    return result;
  }
}
