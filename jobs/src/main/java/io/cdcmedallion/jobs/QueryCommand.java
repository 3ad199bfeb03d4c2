package io.cdcmedallion.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code query}: runs SQL against the local lakehouse and prints the result. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run one SQL statement on the lakehouse and print the result.",
      "Tables have three-part names, e.g. main.gold.gold_daily_order_summary."
    })
final class QueryCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Parameters(index = "0", paramLabel = "SQL", description = "The SQL statement.")
  String sql;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table, csv (with a header row) or json (one object per line). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Rows shown by --format table (default: ${DEFAULT-VALUE}); csv and json print all rows.")
  int maxRows;

  @Override
  public Integer call() {
    ResultFormat resultFormat = parseFormat(format);
    // Progress lines would corrupt csv/json output, so this command prints none.
    Console quiet = new Console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try (JobContext context = JobContext.open(common, quiet)) {
      resultFormat.print(context.spark.sql(sql), System.out, maxRows);
    }
    return 0;
  }

  static ResultFormat parseFormat(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "table" -> ResultFormat.TABLE;
      case "csv" -> ResultFormat.CSV;
      case "json" -> ResultFormat.JSON;
      default ->
          throw io.cdcmedallion.errors.Errors.usage(
              "Invalid --format '" + value + "'. Use table, csv or json.");
    };
  }
}
