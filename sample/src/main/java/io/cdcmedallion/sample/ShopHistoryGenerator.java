package io.cdcmedallion.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.ObservedMetrics;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a realistic, seeded CDC history of a small shop database into the four bronze tables
 * {@code lb_customers_history}, {@code lb_products_history}, {@code lb_orders_history} and {@code
 * lb_order_items_history}, in the shape Lakehouse Sync writes them.
 *
 * <p><b>What the history contains.</b> 90 days of shop activity from 2025-01-01: customers sign up
 * over the first 60 days and change their email or region; products are listed at the start and get
 * repriced; orders are placed throughout, with one to four lines, and move {@code pending → paid →
 * shipped → delivered} or end {@code cancelled}. Along the way the history has every case a silver
 * job must handle:
 *
 * <ul>
 *   <li>inserts, and updates written as an {@code update_preimage}/{@code update_postimage} pair on
 *       one LSN, the pre-image being exactly the key's previous row;
 *   <li>deletes: customers with an id divisible by 50 close their account, products with an id
 *       divisible by 25 are discontinued, about 40% of cancelled orders are purged with their
 *       items;
 *   <li>re-inserts of deleted keys with new values: every other closed account comes back, so do
 *       every other discontinued product and order lines removed from a pending order;
 *   <li>hot keys: customers 1–3 and products 1–2 get bursts of 12 to 25 updates minutes apart;
 *   <li>out-of-order arrival: each table is written in two commits; the second holds a quarter of
 *       the transactions after the first day, so its LSNs fall below many of the first commit's.
 * </ul>
 *
 * The history is consistent: no update or delete of a key that is not live, re-inserts only of
 * deleted keys, orders reference customers that exist and are never deleted, order totals equal the
 * sum of their lines, and unit prices are the product's price when the order was placed. LSNs are
 * WAL positions from {@code 16/00000000} up, unique per event and increasing with commit time
 * across all four tables; {@code _pg_xid} is shared by the events of one transaction (an order and
 * its lines are written together).
 *
 * <p><b>Scale.</b> {@code scale} is thousands of orders: scale 1 gives 1,000 orders, 200 customers
 * and 50 products — about 10,400 history rows in all, most of them order status changes — and rows
 * grow linearly with scale, about 505,000 at scale 50 (customers = orders / 5, products = max(50,
 * orders / 50), about 2.5 lines per order). Generation is plain distributed Spark work from {@code
 * spark.range}, so large scales run on a cluster; the same seed, scale and shape give identical
 * tables.
 *
 * <p><b>Appending.</b> {@link #append} reads the current state of every key from the existing
 * history and adds a further week: updates of live keys, deletes, re-inserts of deleted keys, and
 * new customers, products and orders beyond the current largest ids, with LSNs above every existing
 * one, again in two commits that arrive out of LSN order.
 */
public final class ShopHistoryGenerator {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final Map<String, TableName> tables;
  private final GenerateListener listener;

  /**
   * @param config must configure the entities customers, products, orders and order_items; their
   *     history tables are where the generator writes
   */
  public ShopHistoryGenerator(SparkSession spark, PipelineConfig config) {
    this(spark, config, GenerateListener.none());
  }

  /**
   * @param config must configure the entities customers, products, orders and order_items; their
   *     history tables are where the generator writes
   * @param listener hears when each entity's history starts
   */
  public ShopHistoryGenerator(
      SparkSession spark, PipelineConfig config, GenerateListener listener) {
    this.spark = spark;
    this.config = config;
    this.listener = listener;
    Map<String, TableName> byEntity = new LinkedHashMap<>();
    for (String entity : ShopModel.ENTITIES) {
      EntityConfig entityConfig =
          config
              .entity(entity)
              .orElseThrow(() -> SampleErrors.sampleEntityNotConfigured(entity, config.source()));
      byEntity.put(entity, config.historyTable(entityConfig));
    }
    this.tables = Map.copyOf(byEntity);
  }

  /** The bronze table the generator writes for {@code entity}. */
  public TableName historyTable(String entity) {
    TableName table = tables.get(entity);
    if (table == null) {
      throw Errors.unknownEntity(entity, ShopModel.ENTITIES, config.source());
    }
    return table;
  }

  /**
   * Creates or replaces the four bronze tables with the initial 90-day history.
   *
   * @return rows written per entity (the tables' row counts)
   */
  public GenerateResult generate(GeneratorSettings settings) {
    long start = System.nanoTime();
    InitialHistory history = new InitialHistory(spark, settings);
    // Late data: a quarter of the transactions after the first day reach the table only in the
    // second commit, below the LSNs of much of the first.
    Column late = history.arrivesLate();
    List<Column> commits = List.of(not(late), late);
    Map<String, Dataset<Row>> events = new LinkedHashMap<>();
    for (String entity : ShopModel.ENTITIES) {
      try {
        events.put(entity, history.events(entity));
      } catch (RuntimeException e) {
        throw Errors.stepFailed("generate " + entity, tables.get(entity).toString(), e);
      }
    }
    Map<String, Long> rows = writeAll("generate", events, commits, settings.shape(), true);
    return result(rows, settings.shape(), commits.size(), start);
  }

  /**
   * Adds a further week of changes to the existing bronze tables, continuing from their current
   * state. Deterministic for given tables and settings; successive appends differ because each
   * starts after the previous one's last LSN.
   *
   * @param settings scale sets the batch size (about 8% of {@code scale * 1000} new orders); the
   *     shape must be the tables' shape
   */
  public GenerateResult append(GeneratorSettings settings) {
    long start = System.nanoTime();
    Map<String, Dataset<Row>> existing = new LinkedHashMap<>();
    for (String entity : ShopModel.ENTITIES) {
      TableName table = tables.get(entity);
      if (!Tables.exists(spark, table)) {
        throw SampleErrors.sampleTableMissing(table.toString(), entity);
      }
      // Pinned to the current version: the batch is computed from these rows, and its first commit
      // must not change what the second one is computed from.
      long version =
          Tables.currentVersion(spark, table)
              .orElseThrow(() -> SampleErrors.sampleTableUnrecognized(table.toString()));
      Dataset<Row> rows = Tables.atVersion(spark, table, version);
      MetadataShape shape =
          MetadataShape.detect(rows.schema())
              .orElseThrow(() -> SampleErrors.sampleTableUnrecognized(table.toString()));
      if (shape != settings.shape()) {
        throw SampleErrors.sampleShapeMismatch(
            table.toString(), shape.configName(), settings.shape().configName());
      }
      existing.put(entity, rows);
    }

    MetadataShape shape = settings.shape();
    // The largest LSN and id of every table, in one job.
    Dataset<Row> maxima = null;
    for (String entity : ShopModel.ENTITIES) {
      String id = ShopModel.columns(entity).get(0);
      Dataset<Row> tableMaxima =
          existing
              .get(entity)
              .agg(
                  max(col(shape.lsnColumn())).as("max_lsn"), max(col(id)).cast("long").as("max_id"))
              .select(lit(entity).as("entity"), col("max_lsn"), col("max_id"));
      maxima = maxima == null ? tableMaxima : maxima.unionAll(tableMaxima);
    }
    long maxLsn = Long.MIN_VALUE;
    Map<String, Long> maxIds = new LinkedHashMap<>();
    for (String entity : ShopModel.ENTITIES) {
      maxIds.put(entity, 0L);
    }
    for (Row row : maxima.collectAsList()) {
      if (!row.isNullAt(1)) {
        maxLsn = Math.max(maxLsn, row.getLong(1));
      }
      maxIds.put(row.getString(0), row.isNullAt(2) ? 0L : row.getLong(2));
    }
    long firstTick = maxLsn == Long.MIN_VALUE ? 0 : Timeline.tickOf(maxLsn) + 1;
    AppendBatch batch = new AppendBatch(spark, settings, existing, maxIds, firstTick);

    Column tick = col(Timeline.TICK);
    long middle = firstTick + AppendBatch.WINDOW / 2;
    List<Column> commits = List.of(tick.geq(middle), tick.lt(middle));
    Map<String, Long> rows = writeAll("append", batch.events(), commits, shape, false);
    return result(rows, shape, commits.size(), start);
  }

  /**
   * Writes the events of every entity into its table, the tables at once: a small write is mostly
   * Delta and metastore latency on the driver, which overlaps well. Each table gets its commits in
   * order; when a write fails, the others are still waited for before the first failure (in entity
   * order) is thrown.
   */
  private Map<String, Long> writeAll(
      String step,
      Map<String, Dataset<Row>> events,
      List<Column> commits,
      MetadataShape shape,
      boolean replaceFirst) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            events.size(),
            task -> {
              Thread thread = new Thread(task, "sample-writer");
              thread.setDaemon(true);
              return thread;
            });
    try {
      Map<String, Future<Long>> written = new LinkedHashMap<>();
      for (Map.Entry<String, Dataset<Row>> entry : events.entrySet()) {
        String entity = entry.getKey();
        Dataset<Row> data = entry.getValue();
        written.put(
            entity,
            pool.submit(
                () -> {
                  listener.started(entity, tables.get(entity));
                  return write(data, commits, entity, shape, tables.get(entity), replaceFirst);
                }));
      }
      Map<String, Long> rows = new LinkedHashMap<>();
      RuntimeException failure = null;
      for (Map.Entry<String, Future<Long>> entry : written.entrySet()) {
        String entity = entry.getKey();
        try {
          rows.put(entity, entry.getValue().get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                Errors.stepFailed(step + " " + entity, tables.get(entity).toString(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing sample data", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return rows;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Writes {@code events} into {@code table}, one commit per filter in {@code commits}, the first
   * replacing the table when {@code replaceFirst}; returns the rows written.
   */
  private long write(
      Dataset<Row> events,
      List<Column> commits,
      String entity,
      MetadataShape shape,
      TableName table,
      boolean replaceFirst) {
    long written = 0;
    for (int i = 0; i < commits.size(); i++) {
      Observation observation = new Observation(entity + "_" + i);
      Dataset<Row> commit =
          Timeline.toHistory(events.filter(commits.get(i)), ShopModel.columns(entity), shape)
              .observe(observation, count(lit(1)).as("rows"));
      if (i == 0 && replaceFirst) {
        Tables.replace(spark, commit, table);
      } else {
        Tables.append(spark, commit, table);
      }
      written +=
          rowsWritten(spark, table, ObservedMetrics.await(observation, ObservedMetrics.WAIT));
    }
    return written;
  }

  /**
   * The rows the write of {@code table} that {@code observed} was observed on wrote: the observed
   * count, or, when the write path reported none ({@link ObservedMetrics}), the count Delta
   * recorded for the table's latest commit, which is that write's (each table has one writer here).
   */
  static long rowsWritten(SparkSession spark, TableName table, Map<String, Object> observed) {
    Object value = observed.get("rows");
    if (value != null) {
      return ((Number) value).longValue();
    }
    return Tables.lastCommitRows(spark, table)
        .orElseThrow(() -> SampleErrors.rowsNotCounted(table.toString()));
  }

  private static GenerateResult result(
      Map<String, Long> rows, MetadataShape shape, int commits, long start) {
    long total = rows.values().stream().mapToLong(Long::longValue).sum();
    return new GenerateResult(
        rows, total, shape, commits, Duration.ofNanos(System.nanoTime() - start));
  }
}
