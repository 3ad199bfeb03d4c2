package io.cdcmedallion.jobs;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.sample.GenerateListener;
import io.cdcmedallion.sample.GenerateResult;
import io.cdcmedallion.sample.GeneratorSettings;
import io.cdcmedallion.sample.ShopHistoryGenerator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: writes sample shop CDC history into the bronze tables. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write sample shop CDC history into the bronze tables.",
      "Tables lb_<entity>_history for customers, products, orders and order_items: inserts,",
      "updates with pre/post images, deletes, re-inserts, hot keys, and commits out of LSN",
      "order."
    })
final class GenerateCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--scale",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Thousands of orders (default: ${DEFAULT-VALUE}; 1 is a few thousand history rows).")
  int scale;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--shape",
      paramLabel = "SHAPE",
      defaultValue = "cookbook",
      description =
          "Metadata columns: cookbook (_change_type, _lsn, _commit_timestamp) or lakebase (_pg_change_type, _pg_lsn, ...). Default: ${DEFAULT-VALUE}.")
  String shape;

  @Option(
      names = "--append",
      description =
          "Add a further batch of changes to the existing bronze tables instead of replacing them.")
  boolean append;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    GeneratorSettings settings = new GeneratorSettings(scale, seed, parseShape(shape));
    try (JobContext context = JobContext.open(common, console)) {
      generate(context, settings, append);
    }
    return 0;
  }

  static MetadataShape parseShape(String value) {
    return MetadataShape.fromConfigName(value.toLowerCase(Locale.ROOT))
        .orElseThrow(
            () ->
                io.cdcmedallion.errors.Errors.usage(
                    "Invalid --shape '" + value + "'. Use cookbook or lakebase."));
  }

  static void generate(JobContext context, GeneratorSettings settings, boolean append) {
    Console console = context.console;
    GenerateListener listener =
        new GenerateListener() {
          @Override
          public void started(String entity, TableName table) {
            console.step(
                "generate", "%-12s %s -> %s", entity, append ? "appending" : "started", table);
          }
        };
    ShopHistoryGenerator generator =
        new ShopHistoryGenerator(context.spark, context.config, listener);
    GenerateResult result;
    try (Progress progress = Progress.start(console, "generate", context.spark)) {
      result = append ? generator.append(settings) : generator.generate(settings);
    }
    for (Map.Entry<String, Long> entry : result.rowsWrittenPerEntity().entrySet()) {
      context.console.step(
          "generate",
          "%-12s %10s history rows %s -> %s",
          entry.getKey(),
          Console.count(entry.getValue()),
          append ? "appended" : "written",
          context.config.historyTable(context.config.entity(entry.getKey()).orElseThrow()));
    }
    context.console.step(
        "generate",
        "%s rows in %s (scale %d, seed %d, %s shape)",
        Console.count(result.totalRows()),
        Console.seconds(result.elapsed()),
        settings.scale(),
        settings.seed(),
        settings.shape().configName());
  }
}
