package io.cdcmedallion.jobs;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.postgres.PgSource;
import io.cdcmedallion.postgres.PostgresErrors;
import io.cdcmedallion.postgres.PostgresPublish;
import io.cdcmedallion.postgres.PublishMode;
import io.cdcmedallion.postgres.PublishResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code publish}: a gold table into Postgres (local stand-in for a Lakebase synced table). */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Write a gold table into a Postgres table for applications.",
      "The Postgres table has a primary key, so applications read it with plain SQL. Modes:",
      "snapshot (replace atomically) or triggered (upsert changed rows, delete vanished ones)."
    })
final class PublishCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin PostgresOptions postgres = new PostgresOptions();

  @Option(names = "--table", required = true, paramLabel = "T", description = "Gold table name.")
  String table;

  @Option(
      names = "--target",
      paramLabel = "NAME",
      description = "Postgres table name (default: the gold table's name).")
  String target;

  @Option(
      names = "--mode",
      paramLabel = "M",
      defaultValue = "snapshot",
      description = "snapshot or triggered (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--key",
      split = ",",
      paramLabel = "C",
      description =
          "Primary key column(s) of the Postgres table (default: the grouping columns of a built-in gold table).")
  List<String> key;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    PublishMode publishMode = parseMode(mode);
    PgSource source = postgres.source();
    try (JobContext context = JobContext.open(common, console)) {
      context
          .config
          .goldTable(table)
          .orElseThrow(
              () ->
                  Errors.unknownGoldTable(
                      table,
                      context.config.gold().stream().map(g -> g.name()).toList(),
                      context.config.source()));
      publish(
          context,
          source,
          context.config.goldTableName(table),
          postgres.schema,
          target == null ? table : target,
          Optional.ofNullable(key),
          publishMode);
    }
    return 0;
  }

  /** Publishes and prints one progress line; shared with the Postgres demo. */
  static PublishResult publish(
      JobContext context,
      PgSource source,
      TableName gold,
      String schema,
      String table,
      Optional<List<String>> key,
      PublishMode mode) {
    long start = System.nanoTime();
    PublishResult result;
    try (Connection connection = source.open()) {
      result =
          new PostgresPublish(context.spark).publish(gold, connection, schema, table, key, mode);
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed("publish", Errors.firstLine(e), e);
    }
    context.console.step(
        "publish",
        "%s %s rows -> %s (%s; %s upserted, %s deleted; primary key %s from %s)  %s",
        gold,
        Console.count(result.rows()),
        result.target(),
        result.mode().name().toLowerCase(Locale.ROOT),
        Console.count(result.upserted()),
        Console.count(result.deleted()),
        String.join(", ", result.key()),
        result.keySource(),
        Console.seconds(System.nanoTime() - start));
    return result;
  }

  private static PublishMode parseMode(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "snapshot" -> PublishMode.SNAPSHOT;
      case "triggered" -> PublishMode.TRIGGERED;
      default -> throw Errors.usage("Invalid --mode '" + value + "'. Use snapshot or triggered.");
    };
  }
}
