package io.cdcmedallion.bench;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.gold.GoldJob;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import io.cdcmedallion.silver.IncrementalOptions;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.IncrementalSilver;
import io.cdcmedallion.silver.SilverJob;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * One benchmark measurement in a fresh JVM: {@code BenchWorker <variant> <lakehouse> <rows>
 * <runs>}. Runs the variant {@code runs} times (the first is the cold run) and prints one {@link
 * Measurement} line. Each variant gets its own process so that its peak memory is its own and its
 * first run is really cold.
 */
public final class BenchWorker {
  /** The active Parquet files of the history table, written by the generate step for DuckDB. */
  static final String FILE_LIST = "bench-history-files.txt";

  /** Written once the incremental variant has appended to bronze; the harness then regenerates. */
  static final String APPENDED_MARKER = "bench-history-appended.txt";

  /** Size of each incremental batch, in percent of the history's rows. */
  private static final double INCREMENT_PERCENT = 1.0;

  /** The Spark steps of each measured run, printed after it; null for DuckDB. */
  private static StepTimes steps;

  private BenchWorker() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: BenchWorker <variant> <lakehouse-dir> <rows> <runs>");
      System.exit(2);
    }
    Variant variant = Variant.fromCli(args[0]);
    Path lakehouse = Paths.get(args[1]).toAbsolutePath();
    long rows = Long.parseLong(args[2]);
    int runs = Integer.parseInt(args[3]);
    List<Measurement> measured;
    try {
      measured =
          variant == Variant.DUCKDB
              ? List.of(duckdb(lakehouse, runs))
              : spark(variant, lakehouse, rows, runs);
    } catch (Exception | Error e) {
      // Spark's non-daemon threads would keep a failed worker alive, and the harness waiting.
      e.printStackTrace();
      System.exit(1);
      return;
    }
    for (Measurement m : measured) {
      System.out.println(m.toLine());
    }
    System.out.flush();
    // Spark's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }

  private static List<Measurement> spark(Variant variant, Path lakehouse, long rows, int runs)
      throws Exception {
    PipelineConfig config = BenchHistory.pipeline();
    EntityConfig entity = config.entities().get(0);
    long sessionStart = System.nanoTime();
    SparkSession spark =
        Sessions.local(LocalLakehouse.at(lakehouse, PipelineConfig.DEFAULT_CATALOG));
    long sessionMillis = millisSince(sessionStart);
    steps = StepTimes.on(spark);
    TableName history = config.historyTable(entity);
    TableName silver = config.silverTable(entity);
    if (variant == Variant.INCREMENTAL_REALISTIC || variant == Variant.PEER) {
      return realisticAndPeer(spark, config, entity, lakehouse, rows, runs, sessionMillis);
    }
    Step run =
        switch (variant) {
          case GENERATE ->
              timed(
                  () -> {
                    BenchHistory.write(spark, config, rows);
                    return Tables.count(spark, history);
                  });
          case COOKBOOK_SPARK -> {
            TableName target = new TableName(silver.catalog(), silver.schema(), "silver_cookbook");
            Tables.ensureSchema(spark, target);
            String sql =
                "CREATE OR REPLACE TABLE "
                    + target.quoted()
                    + " USING delta AS "
                    + cookbookSilver(history.quoted());
            yield timed(
                () -> {
                  spark.sql(sql).collect();
                  return Tables.count(spark, target);
                });
          }
          case SILVER_FULL -> timed(() -> new SilverJob(spark, config).run(entity).currentRows());
          case GOLD -> {
            if (!Tables.exists(spark, silver)) {
              new SilverJob(spark, config).run(entity);
            }
            yield timed(() -> new GoldJob(spark, config).run(config.gold().get(0)).rows());
          }
          case INCREMENTAL -> {
            if (!Tables.exists(spark, silver)) {
              new SilverJob(spark, config).run(entity);
            }
            // The next run appends to bronze: the harness then writes the history again before
            // measuring other variants on it.
            Files.writeString(lakehouse.resolve(APPENDED_MARKER), "bronze has appended batches\n");
            IncrementalSilver incremental =
                new IncrementalSilver(spark, config, IncrementalOptions.availableNow(), b -> {});
            // Untimed: builds the incremental state if silver has none yet, so every measured run
            // applies exactly one appended batch.
            incremental.run(entity);
            int[] batch = {0};
            yield () -> {
              // Appending the batch is the source's work, not silver's: only the apply is timed.
              BenchHistory.appendChanges(spark, config, rows, INCREMENT_PERCENT, ++batch[0]);
              long start = System.nanoTime();
              IncrementalResult result = incremental.run(entity);
              return new Outcome(result.upserted() + result.deleted(), millisSince(start));
            };
          }
          case DUCKDB -> throw new IllegalStateException("DuckDB runs without Spark");
          case INCREMENTAL_REALISTIC, PEER -> throw new IllegalStateException("measured above");
        };
    Measurement m = measure(variant, runs, sessionMillis, run, () -> Tables.count(spark, history));
    if (variant == Variant.GENERATE) {
      // DuckDB reads exactly the files of the current Delta snapshot; a glob over the table
      // directory would also read files that earlier versions removed.
      List<String> files =
          Arrays.stream(spark.table(history.quoted()).inputFiles())
              .map(f -> Paths.get(URI.create(f)).toString())
              .toList();
      Files.write(lakehouse.resolve(FILE_LIST), files);
    }
    return List.of(m);
  }

  /**
   * Incremental silver and the hand-written peer on the same realistic batches: each run appends
   * one batch (untimed), then applies it with both, alternating which goes first. Both start from
   * silver as it is for the current history (ours: its state; the peer: the cookbook query, both
   * untimed). Checks at the end that both silver tables hold the same number of rows.
   */
  private static List<Measurement> realisticAndPeer(
      SparkSession spark,
      PipelineConfig config,
      EntityConfig entity,
      Path lakehouse,
      long rows,
      int runs,
      long sessionMillis)
      throws Exception {
    TableName history = config.historyTable(entity);
    TableName silver = config.silverTable(entity);
    if (!Tables.exists(spark, silver)) {
      new SilverJob(spark, config).run(entity);
    }
    Files.writeString(lakehouse.resolve(APPENDED_MARKER), "bronze has appended batches\n");
    IncrementalSilver incremental =
        new IncrementalSilver(spark, config, IncrementalOptions.availableNow(), b -> {});
    incremental.run(entity);
    TableName peerSilver = new TableName(silver.catalog(), silver.schema(), "silver_peer");
    HandWrittenPeer peer =
        new HandWrittenPeer(
            spark,
            history,
            peerSilver,
            BenchHistory.KEY,
            List.of(spark.table(silver.quoted()).columns()),
            lakehouse.resolve("peer-checkpoint-" + System.nanoTime()).toString());
    long after = peer.initialize();
    // The generated history (version 0), as the other variants count it: the uniform variant has
    // appended its batches since.
    long in = Tables.atVersion(spark, history, 0).count();
    List<Long> ours = new ArrayList<>();
    List<Long> theirs = new ArrayList<>();
    long oursOut = 0;
    long peerOut = 0;
    for (int i = 0; i < runs; i++) {
      BenchHistory.appendRealisticChanges(spark, config, rows, INCREMENT_PERCENT, i + 1);
      for (int turn = 0; turn < 2; turn++) {
        boolean oursNow = (turn == 0) == (i % 2 == 0);
        steps.reset();
        long start = System.nanoTime();
        if (oursNow) {
          IncrementalResult result = incremental.run(entity);
          oursOut = result.upserted() + result.deleted();
          ours.add(millisSince(start));
          printSteps("incremental-realistic run " + (i + 1), ours.get(i));
        } else {
          peerOut = peer.run(after);
          theirs.add(millisSince(start));
          printSteps("peer run " + (i + 1), theirs.get(i));
        }
      }
      System.err.printf(
          "  realistic batch %d: ours %d ms (%d rows out), peer %d ms (%d rows out)%n",
          i + 1, ours.get(i), oursOut, theirs.get(i), peerOut);
    }
    long oursRows = Tables.count(spark, silver);
    long peerRows = Tables.count(spark, peerSilver);
    if (oursRows != peerRows) {
      throw new IllegalStateException(
          "realistic batches: silver has " + oursRows + " rows, the peer's " + peerRows);
    }
    long rss = peakRssKib();
    return List.of(
        new Measurement(
            Variant.INCREMENTAL_REALISTIC,
            in,
            oursOut,
            sessionMillis,
            ours.get(0),
            ours.subList(1, ours.size()),
            rss),
        new Measurement(
            Variant.PEER,
            in,
            peerOut,
            sessionMillis,
            theirs.get(0),
            theirs.subList(1, theirs.size()),
            rss));
  }

  private static Measurement duckdb(Path lakehouse, int runs) throws SQLException, IOException {
    List<String> files = Files.readAllLines(lakehouse.resolve(FILE_LIST));
    String parquet =
        files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(","));
    Path out = lakehouse.resolve("duckdb").resolve("silver_bench.parquet");
    Files.createDirectories(out.getParent());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = db.createStatement()) {
      statement.execute("SET threads TO " + Runtime.getRuntime().availableProcessors());
      String source = "read_parquet([" + parquet + "])";
      String copy =
          "COPY ("
              + cookbookSilver(source)
              + ") TO '"
              + out.toString().replace("'", "''")
              + "' (FORMAT parquet)";
      Step run =
          timed(
              () -> {
                try {
                  statement.execute(copy);
                  return countOf(statement, "read_parquet('" + out + "')");
                } catch (SQLException e) {
                  throw new IllegalStateException("DuckDB run failed: " + e.getMessage(), e);
                }
              });
      return measure(
          Variant.DUCKDB,
          runs,
          0,
          run,
          () -> {
            try {
              return countOf(statement, source);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
    }
  }

  /**
   * The cookbook's silver query ("Medallion Architecture", step 3) over {@code source}: latest
   * event per key by LSN, deletes removed, metadata columns dropped. DuckDB and Spark both accept
   * it, except for {@code EXCEPT} versus {@code EXCLUDE}, so the columns are listed.
   */
  static String cookbookSilver(String source) {
    return "SELECT id, customer_id, status, amount, note, updated_at FROM (SELECT *,"
        + " ROW_NUMBER() OVER (PARTITION BY id ORDER BY _lsn DESC) AS rn FROM "
        + source
        + " WHERE _change_type IN ('insert', 'update_postimage', 'delete'))"
        + " WHERE rn = 1 AND _change_type != 'delete'";
  }

  private static long countOf(Statement statement, String source) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + source)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** One measured run: the rows it wrote and the milliseconds of the measured part. */
  private record Outcome(long rowsOut, long millis) {}

  private interface Step {
    Outcome run();
  }

  /** A step measured as a whole. */
  private static Step timed(LongSupplier work) {
    return () -> {
      long start = System.nanoTime();
      long rowsOut = work.getAsLong();
      return new Outcome(rowsOut, millisSince(start));
    };
  }

  private static Measurement measure(
      Variant variant, int runs, long sessionMillis, Step run, LongSupplier rowsIn)
      throws IOException {
    // Counted before the runs: the incremental variant appends to the history it measures.
    long in = variant == Variant.GENERATE ? -1 : rowsIn.getAsLong();
    long rowsOut = 0;
    long cold = 0;
    List<Long> warm = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      if (steps != null) {
        steps.reset();
      }
      Outcome outcome = run.run();
      rowsOut = outcome.rowsOut();
      long elapsed = outcome.millis();
      if (i == 0) {
        cold = elapsed;
      } else {
        warm.add(elapsed);
      }
      System.err.printf(
          "  %s run %d: %d ms (%d rows out)%n", variant.cliName(), i + 1, elapsed, rowsOut);
      printSteps(variant.cliName() + " run " + (i + 1), elapsed);
    }
    return new Measurement(
        variant,
        in < 0 ? rowsIn.getAsLong() : in,
        rowsOut,
        sessionMillis,
        cold,
        warm,
        peakRssKib());
  }

  /** Prints where the run's time went (see {@link StepTimes}), once Spark's events are in. */
  private static void printSteps(String run, long millis) {
    if (steps == null) {
      return; // DuckDB: no Spark session, no steps
    }
    try {
      SparkSession.active().sparkContext().listenerBus().waitUntilEmpty(10_000);
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.printf("  %s steps: Spark's listener events did not arrive in 10 s%n", run);
      return;
    }
    System.err.printf("  %s steps: %s%n", run, steps.summary(millis));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** VmHWM from /proc/self/status: the most resident memory this process has had, heap or not. */
  private static long peakRssKib() throws IOException {
    Path status = Paths.get("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
