package io.cdcmedallion.jobs;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.gold.GoldResult;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.sample.GeneratorSettings;
import io.cdcmedallion.silver.SilverResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code demo}: sample bronze, then silver, then gold, then a look at the results. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate sample bronze, build silver and gold, print the results.",
      "Prints the newest gold rows and the row count of every table."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--scale",
      paramLabel = "N",
      defaultValue = "1",
      description = "Thousands of orders (default: ${DEFAULT-VALUE}).")
  int scale;

  @Option(
      names = "--source",
      paramLabel = "S",
      defaultValue = "generated",
      description =
          "generated (sample history, default) or postgres (an embedded Postgres, a workload and the local sync).")
  String source;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    if (!source.equals("generated") && !source.equals("postgres")) {
      throw io.cdcmedallion.errors.Errors.usage(
          "Invalid --source '" + source + "'. Use generated or postgres.");
    }
    try (JobContext context = JobContext.open(common, console)) {
      if (source.equals("postgres")) {
        PostgresDemo.run(context);
        return 0;
      }
      GenerateCommand.generate(
          context, new GeneratorSettings(scale, 42, MetadataShape.COOKBOOK), false);
      MedallionPipeline pipeline =
          MedallionPipeline.logged(context.spark, context.config, console, "demo");
      List<SilverResult> silver = pipeline.silver(Optional.empty());
      List<GoldResult> built = pipeline.gold(Optional.empty());

      String first = context.config.gold().isEmpty() ? null : context.config.gold().get(0).name();
      if (first != null) {
        TableName table = context.config.goldTableName(first);
        console.out().println();
        console.out().println("Latest rows of " + table + ":");
        Dataset<Row> gold = context.spark.table(table.quoted());
        // Newest first: gold tables lead with their date or key column.
        ResultFormat.TABLE.print(
            gold.orderBy(gold.col(gold.columns()[0]).desc()), console.out(), 5);
      }
      console.out().println();
      // Each step counted the rows it read or wrote: bronze at the version silver read (nothing
      // else writes it during the demo), silver and gold as written. No table is read again.
      console.out().println("Row counts:");
      for (SilverResult s : silver) {
        EntityConfig entity = context.config.entity(s.entity()).orElseThrow();
        printCount(context.config.historyTable(entity), s.historyRows(), console);
        printCount(s.table(), s.currentRows(), console);
      }
      for (GoldResult g : built) {
        printCount(g.table(), g.rows(), console);
      }
      console.out().println();
      console
          .out()
          .println(
              "Try: ./medallion query \"SELECT * FROM "
                  + context.config.goldTableName(first == null ? "x" : first)
                  + " LIMIT 10\"");
    }
    return 0;
  }

  private static void printCount(TableName table, long rows, Console console) {
    console.out().printf("  %-45s %,10d%n", table, rows);
  }
}
