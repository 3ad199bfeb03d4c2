package io.cdcmedallion.sample;

import static io.cdcmedallion.sample.Rng.idiv;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.MetadataShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One further week of shop activity on top of existing history tables. The current row of every key
 * is the latest event by LSN (an update's post-image, an insert, or a delete); the batch updates
 * and deletes only live keys, re-inserts only deleted ones, and adds keys above the largest id.
 * Each key gets at most one transaction in a batch (an order and its lines share one), so the batch
 * is consistent with the history whatever order its events are written in.
 */
final class AppendBatch {
  /** Length of one batch in minutes (ticks). */
  static final long WINDOW = 7 * InitialHistory.DAY;

  private static final long HALF = WINDOW / 2;
  private static final String INSERT = ChangeType.INSERT.value();
  private static final String PRE = ChangeType.UPDATE_PREIMAGE.value();
  private static final String POST = ChangeType.UPDATE_POSTIMAGE.value();
  private static final String DELETE = ChangeType.DELETE.value();

  private final SparkSession spark;
  private final GeneratorSettings settings;
  private final Map<String, Dataset<Row>> history;
  private final Map<String, Long> maxIds;
  private final long firstTick;
  private final Column batch;
  private final Rng rng;
  private final ShopModel model;

  /**
   * @param history the existing history of each entity, pinned to one table version
   * @param maxIds the largest id in each history (0 when empty); new keys start above it
   * @param firstTick first minute of the batch, after every existing event
   */
  AppendBatch(
      SparkSession spark,
      GeneratorSettings settings,
      Map<String, Dataset<Row>> history,
      Map<String, Long> maxIds,
      long firstTick) {
    this.spark = spark;
    this.settings = settings;
    this.history = history;
    this.maxIds = Map.copyOf(maxIds);
    this.firstTick = firstTick;
    this.batch = lit(firstTick);
    this.rng = new Rng(settings.seed());
    this.model = new ShopModel(rng);
  }

  /**
   * New events per entity, typed, in {@link ShopModel#ENTITIES} order. Nothing is cached: each
   * commit of each table recomputes its events from the pinned history, which gives the same rows
   * every time since every choice is a hash of keys and the seed.
   */
  Map<String, Dataset<Row>> events() {
    long maxCustomer = maxIds.get(ShopModel.CUSTOMERS);
    long maxProduct = maxIds.get(ShopModel.PRODUCTS);
    long maxOrder = maxIds.get(ShopModel.ORDERS);
    Dataset<Row> orderActions = orderActions();
    Dataset<Row> newOrders = newOrders(maxOrder, maxCustomer);
    Dataset<Row> newLines = newLines(newOrders, maxProduct);

    Map<String, Dataset<Row>> events = new LinkedHashMap<>();
    events.put(ShopModel.CUSTOMERS, ShopModel.typed(customers(maxCustomer), ShopModel.CUSTOMERS));
    events.put(ShopModel.PRODUCTS, ShopModel.typed(products(maxProduct), ShopModel.PRODUCTS));
    events.put(
        ShopModel.ORDERS,
        ShopModel.typed(orders(orderActions, newOrders, newLines), ShopModel.ORDERS));
    events.put(
        ShopModel.ORDER_ITEMS,
        ShopModel.typed(orderItems(orderActions, newLines), ShopModel.ORDER_ITEMS));
    return events;
  }

  // ---------------------------------------------------------------- current state

  /** The latest event of every key: its data columns and {@code _kind}. */
  private Dataset<Row> current(String entity) {
    MetadataShape shape = settings.shape();
    Column type = col(shape.changeTypeColumn());
    Column rank = when(type.equalTo(DELETE), 3).when(type.equalTo(POST), 2).otherwise(1);
    Column order =
        struct(
            col(shape.lsnColumn()), shape.tieBreakColumn().map(c -> col(c)).orElse(lit(0L)), rank);
    List<Column> content = new ArrayList<>();
    for (String column : ShopModel.columns(entity)) {
      content.add(col(column));
    }
    content.add(type.as(Timeline.KIND));
    Column[] keys = ShopModel.keys(entity).stream().map(k -> col(k)).toArray(Column[]::new);
    return history
        .get(entity)
        .filter(type.notEqual(PRE))
        .groupBy(keys)
        .agg(max_by(struct(content.toArray(new Column[0])), order).as("w"))
        .select("w.*");
  }

  private static Column live() {
    return col(Timeline.KIND).notEqual(DELETE);
  }

  private Column anyTick(String salt, Column key) {
    return lit(firstTick).plus(rng.below(WINDOW, salt, key, batch));
  }

  // ---------------------------------------------------------------- customers

  private Dataset<Row> customers(long maxCustomer) {
    Column c = col("customer_id");
    Column lane = Timeline.lane(c, Timeline.TAG_CUSTOMER);
    Column action = rng.below(100, "a.c.action", c, batch);
    Column tick = anyTick("a.c.tick", c);
    Column updated = live().and(action.lt(8));
    Column closed =
        live()
            .and(pmod(c, lit(ShopModel.CUSTOMER_CHURN)).equalTo(0))
            .and(action.geq(8))
            .and(action.lt(38));
    Column reopened = not(live()).and(action.lt(50));
    Column email =
        concat(
            regexp_extract(col("email"), "^([^+@]*)", 1),
            lit("+"),
            lit(1000).plus(rng.below(9000, "a.c.email", c, batch)).cast("string"),
            lit("@"),
            substring_index(col("email"), "@", -1));
    Column region =
        element_at(
            ShopModel.strings(ShopModel.REGIONS),
            pmod(
                    array_position(ShopModel.strings(ShopModel.REGIONS), col("region"))
                        .plus(rng.below(ShopModel.REGIONS.size() - 1, "a.c.region", c, batch)),
                    lit(ShopModel.REGIONS.size()))
                .plus(1)
                .cast("int"));
    Column now = Timeline.timestamp(tick, lane);
    Column events =
        array(
            when(updated, customerEvent(PRE, tick, col("email"), col("region"), col("created_at"))),
            when(updated, customerEvent(POST, tick, email, region, col("created_at"))),
            when(
                closed,
                customerEvent(DELETE, tick, col("email"), col("region"), col("created_at"))),
            when(reopened, customerEvent(INSERT, tick, email, region, now)));
    Dataset<Row> changes =
        explodeEvents(current(ShopModel.CUSTOMERS), events)
            .select(
                c,
                col("name"),
                col("e.email").as("email"),
                col("e.region").as("region"),
                col("e.created_at").as("created_at"),
                col("e." + Timeline.KIND).as(Timeline.KIND),
                col("e." + Timeline.TICK).as(Timeline.TICK),
                lane.as(Timeline.LANE),
                lit(0L).as(Timeline.ORD));

    long count = Math.max(1, settings.customers() / 10);
    Column newTick = lit(firstTick).plus(rng.below(HALF, "a.c.new_tick", c, batch));
    Dataset<Row> added =
        range(maxCustomer + 1, maxCustomer + 1 + count, "customer_id")
            .select(
                c,
                model.customerName(c).as("name"),
                model.customerEmail(c, lit(0L)).as("email"),
                model.customerRegion(c, lit(0L)).as("region"),
                Timeline.timestamp(newTick, lane).as("created_at"),
                lit(INSERT).as(Timeline.KIND),
                newTick.as(Timeline.TICK),
                lane.as(Timeline.LANE),
                lit(0L).as(Timeline.ORD));
    return changes.unionByName(added);
  }

  private static Column customerEvent(
      String kind, Column tick, Column email, Column region, Column createdAt) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        email.as("email"),
        region.as("region"),
        createdAt.cast("timestamp").as("created_at"));
  }

  // ---------------------------------------------------------------- products

  private Dataset<Row> products(long maxProduct) {
    Column p = col("product_id");
    Column action = rng.below(100, "a.p.action", p, batch);
    Column cents = col("price").multiply(100).cast("long");
    Column repriced = live().and(action.lt(10));
    Column discontinued =
        live()
            .and(pmod(p, lit(ShopModel.PRODUCT_CHURN)).equalTo(0))
            .and(action.geq(10))
            .and(action.lt(40));
    Column relisted = not(live()).and(action.lt(50));
    // Reprices land in the second half of the week, new orders in the first: the unit price of a
    // new order line is the product's price before this batch.
    Column late = lit(firstTick + HALF).plus(rng.below(HALF, "a.p.tick", p, batch));
    Column tick = anyTick("a.p.tick", p);
    Column newPrice =
        ShopModel.money(
            greatest(
                lit(99L),
                idiv(cents.multiply(lit(85).plus(rng.below(31, "a.p.price", p, batch))), 100)),
            10);
    Column relistPrice =
        ShopModel.money(
            greatest(
                lit(99L),
                idiv(cents.multiply(lit(90).plus(rng.below(41, "a.p.price", p, batch))), 100)),
            10);
    Column events =
        array(
            when(repriced, productEvent(PRE, late, col("price"))),
            when(repriced, productEvent(POST, late, newPrice)),
            when(discontinued, productEvent(DELETE, tick, col("price"))),
            when(relisted, productEvent(INSERT, tick, relistPrice)));
    Dataset<Row> changes =
        explodeEvents(current(ShopModel.PRODUCTS), events)
            .select(
                p,
                col("name"),
                col("category"),
                col("e.price").as("price"),
                col("e." + Timeline.KIND).as(Timeline.KIND),
                col("e." + Timeline.TICK).as(Timeline.TICK),
                Timeline.lane(p, Timeline.TAG_PRODUCT).as(Timeline.LANE),
                lit(0L).as(Timeline.ORD));

    long count = Math.max(1, settings.products() / 20);
    Column newTick = lit(firstTick).plus(rng.below(60, "a.p.new_tick", p, batch));
    Dataset<Row> added =
        range(maxProduct + 1, maxProduct + 1 + count, "product_id")
            .select(
                p,
                model.productName(p).as("name"),
                model.productCategory(p).as("category"),
                ShopModel.money(model.productPriceCents(p, lit(0L)), 10).as("price"),
                lit(INSERT).as(Timeline.KIND),
                newTick.as(Timeline.TICK),
                Timeline.lane(p, Timeline.TAG_PRODUCT).as(Timeline.LANE),
                lit(0L).as(Timeline.ORD));
    return changes.unionByName(added);
  }

  private static Column productEvent(String kind, Column tick, Column price) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        price.cast("decimal(10,2)").as("price"));
  }

  // ---------------------------------------------------------------- orders and their items

  /**
   * Every live order with what happens to it in this batch: {@code next} is its new status, or
   * {@code edit} (change the quantity of line 1, still pending), {@code purge} (delete it and its
   * lines) or null. Line 1's current row is joined as {@code l1_*} for edits.
   */
  private Dataset<Row> orderActions() {
    Column o = col("order_id");
    Column action = rng.below(100, "a.o.action", o, batch);
    Column status = col("status");
    Dataset<Row> lineOne =
        current(ShopModel.ORDER_ITEMS)
            .filter(live().and(col("line_no").equalTo(1)))
            .select(
                col("order_id").as("l1_order_id"),
                col("product_id").as("l1_product_id"),
                col("quantity").as("l1_quantity"),
                col("unit_price").as("l1_unit_price"));
    Column hasLineOne = col("l1_order_id").isNotNull();
    Column next =
        when(status.equalTo("pending").and(action.lt(55)), lit("paid"))
            .when(status.equalTo("pending").and(action.lt(65)), lit("cancelled"))
            .when(status.equalTo("pending").and(action.lt(75)).and(hasLineOne), lit("edit"))
            .when(status.equalTo("paid").and(action.lt(70)), lit("shipped"))
            .when(status.equalTo("paid").and(action.lt(73)), lit("cancelled"))
            .when(status.equalTo("shipped").and(action.lt(80)), lit("delivered"))
            .when(status.equalTo("cancelled").and(action.lt(30)), lit("purge"));
    return current(ShopModel.ORDERS)
        .filter(live())
        .join(lineOne, o.equalTo(col("l1_order_id")), "left")
        .withColumn("next", next)
        .filter(col("next").isNotNull())
        .withColumn("tick", anyTick("a.o.tick", o))
        .withColumn(
            "l1_new_quantity",
            col("l1_quantity").plus(lit(1).plus(rng.below(3, "a.o.quantity", o, batch))));
  }

  private Dataset<Row> newOrders(long maxOrder, long maxCustomer) {
    long count = Math.max(1, settings.orders() * WINDOW / InitialHistory.HORIZON);
    Column o = col("order_id");
    return range(maxOrder + 1, maxOrder + 1 + count, "order_id")
        .withColumn("tk", lit(firstTick).plus(rng.below(HALF, "a.o.new_tick", o, batch)))
        .withColumn(
            "customer_id",
            model.pickNonChurnId(
                lit(Math.max(1, maxCustomer)), ShopModel.CUSTOMER_CHURN, "a.o.customer", o, batch))
        .withColumn("n_lines", lit(1L).plus(rng.below(4, "a.o.lines", o, batch)))
        .withColumn("paid", rng.below(100, "a.o.paid", o, batch).lt(70))
        .withColumn("tp", col("tk").plus(5).plus(rng.below(235, "a.o.paid_tick", o, batch)));
  }

  /** Lines of the new orders, priced with the products' current prices. */
  private Dataset<Row> newLines(Dataset<Row> newOrders, long maxProduct) {
    Column o = col("order_id");
    Column i = col("line_no");
    Dataset<Row> prices =
        current(ShopModel.PRODUCTS)
            .filter(live())
            .select(col("product_id").as("priced_id"), col("price").as("unit_price"));
    return newOrders
        .select(o, col("tk"), explode(sequence(lit(1L), col("n_lines"))).as("line_no"))
        .withColumn(
            "product_id",
            model.pickNonChurnId(
                lit(Math.max(1, maxProduct)), ShopModel.PRODUCT_CHURN, "a.o.product", o, i, batch))
        .withColumn("quantity", lit(1L).plus(rng.below(3, "a.o.line_quantity", o, i, batch)))
        // Products that are not multiples of PRODUCT_CHURN are never deleted, so none is lost here.
        .join(prices, col("product_id").equalTo(col("priced_id")), "inner")
        .drop("priced_id");
  }

  private Dataset<Row> orders(Dataset<Row> actions, Dataset<Row> newOrders, Dataset<Row> newLines) {
    Column o = col("order_id");
    Column next = col("next");
    Column tick = col("tick");
    Column isEdit = next.equalTo("edit");
    Column isPurge = next.equalTo("purge");
    Column isStatus = not(isEdit).and(not(isPurge));
    Column editedTotal =
        col("total_amount")
            .plus(col("l1_new_quantity").minus(col("l1_quantity")).multiply(col("l1_unit_price")));
    Column events =
        array(
            when(isStatus, orderEvent(PRE, tick, col("status"), col("total_amount"))),
            when(isStatus, orderEvent(POST, tick, next, col("total_amount"))),
            when(isEdit, orderEvent(PRE, tick, col("status"), col("total_amount"))),
            when(isEdit, orderEvent(POST, tick, col("status"), editedTotal)),
            when(isPurge, orderEvent(DELETE, tick, col("status"), col("total_amount"))));
    Dataset<Row> changes = explodeEvents(actions, events).select(orderColumns(col("created_at")));

    Dataset<Row> totals =
        newLines
            .groupBy(col("order_id").as("totaled_id"))
            .agg(sum(col("quantity").multiply(col("unit_price"))).as("total_amount"));
    Column placed = col("tk");
    Column placedEvents =
        array(
            orderEvent(INSERT, placed, lit("pending"), col("total_amount")),
            when(col("paid"), orderEvent(PRE, col("tp"), lit("pending"), col("total_amount"))),
            when(col("paid"), orderEvent(POST, col("tp"), lit("paid"), col("total_amount"))));
    Dataset<Row> added =
        explodeEvents(newOrders.join(totals, o.equalTo(col("totaled_id")), "inner"), placedEvents)
            .select(orderColumns(Timeline.timestamp(placed, Timeline.lane(o, Timeline.TAG_ORDER))));
    return changes.unionByName(added);
  }

  private static Column[] orderColumns(Column createdAt) {
    Column o = col("order_id");
    return new Column[] {
      o,
      col("customer_id"),
      col("e.status").as("status"),
      col("e.total").as("total_amount"),
      createdAt.cast("timestamp").as("created_at"),
      col("e." + Timeline.KIND).as(Timeline.KIND),
      col("e." + Timeline.TICK).as(Timeline.TICK),
      Timeline.lane(o, Timeline.TAG_ORDER).as(Timeline.LANE),
      lit(0L).as(Timeline.ORD)
    };
  }

  private static Column orderEvent(String kind, Column tick, Column status, Column total) {
    return struct(
        lit(kind).as(Timeline.KIND),
        tick.cast("long").as(Timeline.TICK),
        status.cast("string").as("status"),
        total.cast("decimal(12,2)").as("total"));
  }

  /** An order-line event: the line's columns, then its kind, tick, lane and ordinal. */
  private static Column[] lineEvent(Column quantity, Column kind, Column tick, Column ordinal) {
    Column o = col("order_id");
    return new Column[] {
      o,
      col("line_no"),
      col("product_id"),
      quantity.as("quantity"),
      col("unit_price"),
      kind.as(Timeline.KIND),
      tick.as(Timeline.TICK),
      Timeline.lane(o, Timeline.TAG_ORDER).as(Timeline.LANE),
      ordinal.as(Timeline.ORD)
    };
  }

  private Dataset<Row> orderItems(Dataset<Row> actions, Dataset<Row> newLines) {
    Column o = col("order_id");
    Dataset<Row> edits =
        actions
            .filter(col("next").equalTo("edit"))
            .select(
                o,
                lit(1).as("line_no"),
                col("l1_product_id").as("product_id"),
                col("tick"),
                explode(
                        array(
                            struct(lit(PRE).as("k"), col("l1_quantity").as("q")),
                            struct(lit(POST).as("k"), col("l1_new_quantity").cast("int").as("q"))))
                    .as("e"),
                col("l1_unit_price").as("unit_price"))
            .select(lineEvent(col("e.q"), col("e.k"), col("tick"), lit(1L)));

    Dataset<Row> purged =
        current(ShopModel.ORDER_ITEMS)
            .filter(live())
            .join(
                actions
                    .filter(col("next").equalTo("purge"))
                    .select(col("order_id").as("purged_id"), col("tick")),
                o.equalTo(col("purged_id")),
                "inner")
            .select(
                lineEvent(col("quantity"), lit(DELETE), col("tick"), col("line_no").cast("long")));

    Dataset<Row> added =
        newLines.select(
            lineEvent(col("quantity"), lit(INSERT), col("tk"), col("line_no").cast("long")));
    return ShopModel.typed(edits, ShopModel.ORDER_ITEMS)
        .unionByName(ShopModel.typed(purged, ShopModel.ORDER_ITEMS))
        .unionByName(ShopModel.typed(added, ShopModel.ORDER_ITEMS));
  }

  // ---------------------------------------------------------------- helpers

  private Dataset<Row> range(long from, long toExclusive, String name) {
    return spark.range(from, toExclusive).select(col("id").as(name));
  }

  private static Dataset<Row> explodeEvents(Dataset<Row> rows, Column events) {
    return rows.select(col("*"), explode(filter(events, e -> e.isNotNull())).as("e"));
  }
}
