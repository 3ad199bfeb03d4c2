package io.cdcmedallion.jobs;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.pipeline.ExpectationCheck;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.quality.Expectation;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code validate}: checks the config without starting Spark. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the pipeline config; Spark is not started.",
      "With --tables, also check every expectation against the tables in the lakehouse."
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--tables",
      description =
          "Also check that every expectation's columns exist, against the bronze tables and the silver tables gold reads (starts Spark; reads no data).")
  boolean tables;

  @Override
  public Integer call() {
    Console console = new Console(System.out);
    PipelineConfig config = PipelineConfigs.load(common.configFile());
    for (EntityConfig e : config.entities()) {
      console.step(
          "config",
          "entity %-12s keys %-20s %s -> %s",
          e.name(),
          String.join(", ", e.keys()),
          config.historyTable(e),
          config.silverTable(e));
      printExpectations(console, e.name(), config.quality().forEntity(e.name()));
    }
    for (GoldTableConfig g : config.gold()) {
      console.step(
          "config",
          "gold   %-30s %s -> %s",
          g.name(),
          g.sqlSource().map(s -> "sql " + s).orElse("built-in"),
          config.goldTableName(g.name()));
      printExpectations(console, g.name(), config.quality().forGold(g.name()));
    }
    if (tables) {
      try (JobContext context = JobContext.open(common, console)) {
        List<String> skipped = ExpectationCheck.againstTables(context.spark, context.config);
        console.step(
            "config",
            "expectations resolve against the tables%s",
            skipped.isEmpty()
                ? ""
                : " (not checked, tables missing: " + String.join(", ", skipped) + ")");
      }
    }
    console.step(
        "config",
        "%s is valid: %d entities, %d gold tables",
        config.source(),
        config.entities().size(),
        config.gold().size());
    return 0;
  }

  /** Syntax is checked here; columns are checked against the table before each run. */
  private static void printExpectations(
      Console console, String table, List<Expectation> expectations) {
    for (Expectation x : expectations) {
      console.step(
          "config",
          "expect %-35s %-4s %s",
          table + "." + x.name(),
          x.action().configName(),
          x.expression());
    }
  }
}
