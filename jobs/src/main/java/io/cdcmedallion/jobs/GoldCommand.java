package io.cdcmedallion.jobs;

import io.cdcmedallion.pipeline.MedallionPipeline;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gold}: rebuilds gold tables from silver. */
@Command(
    name = "gold",
    mixinStandardHelpOptions = true,
    description = "Rebuild the configured gold tables from the silver tables.")
final class GoldCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--table",
      paramLabel = "T",
      description = "Only this gold table (default: all configured gold tables).")
  String table;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    try (JobContext context = JobContext.open(common, console)) {
      MedallionPipeline.logged(context.spark, context.config, console, "gold")
          .gold(Optional.ofNullable(table));
    }
    return 0;
  }
}
