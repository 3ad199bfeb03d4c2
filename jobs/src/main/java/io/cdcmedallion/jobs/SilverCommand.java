package io.cdcmedallion.jobs;

import io.cdcmedallion.pipeline.MedallionPipeline;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silver}: rebuilds silver tables from bronze history (full refresh, SCD type 1). */
@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    description =
        "Rebuild silver_<entity> (current state per key) from lb_<entity>_history, full refresh.")
final class SilverCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--entity",
      paramLabel = "E",
      description = "Only this entity (default: all configured entities).")
  String entity;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    try (JobContext context = JobContext.open(common, console)) {
      MedallionPipeline.logged(context.spark, context.config, console, "silver")
          .silver(Optional.ofNullable(entity));
    }
    return 0;
  }
}
