package io.cdcmedallion.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.cdcmedallion.quality.RunLog;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status}: the latest runs from the run log. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Print the latest steps of the run log, newest first.",
      "The run log is <catalog>.<gold_schema>._medallion_runs."
    })
final class StatusCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Spec CommandSpec spec;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "Steps to show (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, csv or json (one object per line). Default: ${DEFAULT-VALUE}.")
  String format;

  @Override
  public Integer call() {
    ResultFormat resultFormat = QueryCommand.parseFormat(format);
    if (limit < 1) {
      throw io.cdcmedallion.errors.Errors.usage(
          "Invalid --limit " + limit + ". Use a positive number of steps.");
    }
    Console quiet = new Console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try (JobContext context = JobContext.open(common, quiet)) {
      RunLog log = new RunLog(context.spark, context.config.runLogTable());
      if (!log.exists()) {
        spec.commandLine()
            .getErr()
            .println(
                "No runs logged yet: "
                    + log.table()
                    + " does not exist. Run ./medallion run (or demo) first.");
        return 0;
      }
      Dataset<Row> latest = log.latest(limit);
      if (resultFormat == ResultFormat.TABLE) {
        // One readable cell for the per-expectation counts (contract checks only when they found
        // something); json keeps the whole array of structs.
        latest =
            latest.select(
                col("run_id"),
                col("command"),
                col("step"),
                col("target"),
                col("mode"),
                col("started_at"),
                expr("round((unix_micros(ended_at) - unix_micros(started_at)) / 1e6, 1)")
                    .as("seconds"),
                col("rows_in"),
                col("rows_out"),
                col("rows_quarantined"),
                expr("array_join(transform(filter(expectations, e -> NOT startswith(e.name,"
                        + " 'contract_') OR e.failed > 0), e -> concat(e.name, ' ', e.action,"
                        + " ' ', e.failed, ' failed')), ', ')")
                    .as("expectations"),
                col("status"),
                col("error"));
      }
      resultFormat.print(latest, System.out, limit);
    }
    return 0;
  }
}
