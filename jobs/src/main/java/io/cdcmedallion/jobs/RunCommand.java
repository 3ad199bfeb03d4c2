package io.cdcmedallion.jobs;

import io.cdcmedallion.pipeline.MedallionPipeline;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: silver, then gold. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Rebuild every silver table, then every gold table.")
final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    try (JobContext context = JobContext.open(common, console)) {
      MedallionPipeline pipeline =
          MedallionPipeline.logged(context.spark, context.config, console, "run");
      pipeline.silver(Optional.empty());
      pipeline.gold(Optional.empty());
    }
    return 0;
  }
}
