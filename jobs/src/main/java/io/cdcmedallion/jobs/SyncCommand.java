package io.cdcmedallion.jobs;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.postgres.PgSource;
import io.cdcmedallion.postgres.PostgresSync;
import io.cdcmedallion.postgres.SyncListener;
import io.cdcmedallion.postgres.SyncResult;
import io.cdcmedallion.postgres.SyncSettings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sync}: a local Lakehouse Sync, Postgres logical replication into lb_<table>_history. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Replicate Postgres into bronze (local Lakehouse Sync stand-in).",
      "Takes a snapshot, then streams changes (logical replication, pgoutput) into the",
      "lb_<table>_history tables; commits to Delta every flush interval and acknowledges to",
      "Postgres only after the commit."
    })
final class SyncCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Mixin CommonOptions common = new CommonOptions();
  @Mixin PostgresOptions postgres = new PostgresOptions();

  @Option(
      names = "--tables",
      split = ",",
      paramLabel = "T",
      description = "Tables to sync (default: every table of the schema).")
  List<String> tables;

  @Option(
      names = "--shape",
      paramLabel = "SHAPE",
      defaultValue = "cookbook",
      description = "Metadata columns: cookbook or lakebase (default: ${DEFAULT-VALUE}).")
  String shape;

  @Option(
      names = "--flush-interval",
      paramLabel = "D",
      defaultValue = "15s",
      description = "Commit to Delta this often, e.g. 500ms, 15s, 1m (default: ${DEFAULT-VALUE}).")
  String flushInterval;

  @Option(
      names = "--once",
      description = "Sync the changes present at start, then stop (default: run until stopped).")
  boolean once;

  @Option(
      names = "--slot",
      paramLabel = "NAME",
      defaultValue = "medallion",
      description =
          "Replication slot and publication name (default: ${DEFAULT-VALUE}). A new slot starts over with a snapshot.")
  String slot;

  @Option(
      names = "--on-truncate",
      paramLabel = "P",
      defaultValue = "stop",
      description =
          "TRUNCATE of a synced table: stop (default) or skip (the history keeps the rows).")
  String onTruncate;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    SyncSettings settings =
        new SyncSettings(
            postgres.schema,
            Optional.ofNullable(tables),
            GenerateCommand.parseShape(shape),
            parseDuration(flushInterval),
            once,
            slot,
            parseTruncate(onTruncate));
    PgSource source = postgres.source();
    try (JobContext context = JobContext.open(common, console)) {
      sync(context, source, settings);
    }
    return 0;
  }

  /** Runs one sync and prints its progress; shared with the Postgres demo. */
  static SyncResult sync(JobContext context, PgSource source, SyncSettings settings) {
    Console console = context.console;
    console.step(
        "sync",
        "%s, schema %s, slot %s, %s shape%s",
        source,
        settings.schema(),
        settings.slot(),
        settings.shape().configName(),
        settings.once() ? ", once" : ", until stopped");
    SyncResult result;
    try (Progress progress = Progress.start(console, "sync", context.spark)) {
      result =
          new PostgresSync(
                  context.spark, source, settings, historyTables(context.config), listener(console))
              .run();
    }
    console.step(
        "sync",
        "%s transactions committed%s, acknowledged up to LSN %s",
        Console.count(result.transactions()),
        result.skippedTransactions() > 0
            ? ", " + result.skippedTransactions() + " already in Delta skipped"
            : "",
        result.lastLsn());
    return result;
  }

  static Function<String, TableName> historyTables(PipelineConfig config) {
    return table ->
        config
            .entity(table)
            .map(config::historyTable)
            .orElseGet(
                () ->
                    new TableName(
                        config.catalog(), config.bronzeSchema(), "lb_" + table + "_history"));
  }

  private static SyncListener listener(Console console) {
    return new SyncListener() {
      @Override
      public void snapshotStarted(String table, TableName history) {
        console.step("sync", "%-12s snapshot started -> %s", table, history);
      }

      @Override
      public void snapshotDone(String table, TableName history, long rows, String lsn) {
        console.step(
            "sync",
            "%-12s %10s snapshot rows at LSN %s -> %s",
            table,
            Console.count(rows),
            lsn,
            history);
      }

      @Override
      public void flushed(Map<TableName, Long> rows, int transactions, String lsn) {
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        console.step(
            "sync",
            "%s transactions, %s history rows committed up to LSN %s -> %s",
            Console.count(transactions),
            Console.count(total),
            lsn,
            rows.keySet());
      }

      @Override
      public void skipped(String what) {
        console.step("sync", "skipped %s", what);
      }
    };
  }

  static Duration parseDuration(String value) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw Errors.usage(
          "Invalid --flush-interval '"
              + value
              + "'. Use a positive number with ms, s, m or h, e.g. 15s.");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static SyncSettings.TruncatePolicy parseTruncate(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "stop" -> SyncSettings.TruncatePolicy.STOP;
      case "skip" -> SyncSettings.TruncatePolicy.SKIP;
      default -> throw Errors.usage("Invalid --on-truncate '" + value + "'. Use stop or skip.");
    };
  }
}
