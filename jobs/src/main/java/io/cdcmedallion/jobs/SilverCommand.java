package io.cdcmedallion.jobs;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.silver.IncrementalOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silver}: rebuilds silver tables from bronze history, fully or incrementally. */
@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    description = {
      "Build silver tables from bronze: full refresh or incremental.",
      "silver_<entity> holds the current state per key of lb_<entity>_history; the full",
      "refresh (default) recomputes it, incremental applies only new changes (streaming",
      "MERGE)."
    })
final class SilverCommand implements Callable<Integer> {
  private static final Pattern INTERVAL = Pattern.compile("^(\\d{1,9})(ms|s|m|h)$");

  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--entity",
      paramLabel = "E",
      description = "Only this entity (default: all configured entities).")
  String entity;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "full (default): rebuild from all history; incremental: apply new changes only.",
      defaultValue = "full")
  String mode;

  @Option(
      names = "--trigger",
      paramLabel = "T",
      description =
          "Incremental only. available-now (default): apply what bronze holds, then stop; continuous: keep applying every --interval.")
  String trigger;

  @Option(
      names = "--interval",
      paramLabel = "D",
      description =
          "Incremental continuous only: time between micro-batches, e.g. 30s (default), 5m.")
  String interval;

  @Option(
      names = "--full-refresh",
      description =
          "Incremental only: reset the checkpoint and rebuild from all history, then continue incrementally.")
  boolean fullRefresh;

  @Override
  public Integer call() {
    String m = mode.toLowerCase(Locale.ROOT);
    if (!m.equals("full") && !m.equals("incremental")) {
      throw Errors.usage(
          "Unknown --mode '" + mode + "'. Use --mode full (default) or --mode incremental.");
    }
    boolean incremental = m.equals("incremental");
    if (!incremental && (trigger != null || interval != null || fullRefresh)) {
      throw Errors.usage(
          "--trigger, --interval and --full-refresh apply to incremental silver only. Add --mode incremental, or drop them (--mode full always rebuilds from all history).");
    }
    boolean continuous = false;
    if (trigger != null) {
      switch (trigger.toLowerCase(Locale.ROOT)) {
        case "available-now" -> continuous = false;
        case "continuous" -> continuous = true;
        default ->
            throw Errors.usage(
                "Unknown --trigger '"
                    + trigger
                    + "'. Use --trigger available-now (default) or --trigger continuous.");
      }
    }
    if (interval != null && !continuous) {
      throw Errors.usage(
          "--interval applies to --trigger continuous only. Add --trigger continuous, or drop --interval.");
    }
    Duration every = interval == null ? Duration.ofSeconds(30) : parseInterval(interval);
    Console console = new Console(System.out);
    try (JobContext context =
        JobContext.open(
            common,
            console,
            config -> {
              if (incremental) {
                requireDurableCheckpoints(config, System.getenv());
              }
            })) {
      MedallionPipeline pipeline =
          MedallionPipeline.logged(context.spark, context.config, console, "silver");
      try (Progress progress = Progress.start(console, "silver", context.spark)) {
        if (incremental) {
          pipeline.silverIncremental(
              Optional.ofNullable(entity),
              IncrementalOptions.of(context.config.incremental(), continuous, every),
              fullRefresh);
        } else {
          pipeline.silver(Optional.ofNullable(entity));
        }
      }
    }
    return 0;
  }

  /**
   * Inside a Databricks job ({@code DATABRICKS_RUNTIME_VERSION} set, as {@link
   * io.cdcmedallion.session.Sessions#kind} decides) incremental silver needs a checkpoints folder
   * given explicitly: the default, {@code _checkpoints} next to the warehouse, is a local
   * lakehouse's folder, and a job's local disk does not outlive the run.
   */
  static void requireDurableCheckpoints(PipelineConfig config, Map<String, String> env) {
    String runtime = env.get("DATABRICKS_RUNTIME_VERSION");
    if (runtime != null && !runtime.isBlank() && config.incremental().checkpoints().isEmpty()) {
      throw Errors.usage(
          "Incremental silver on Databricks needs a checkpoints folder that outlives the run."
              + " Add --checkpoints /Volumes/<catalog>/<schema>/<volume> (the bundle passes its"
              + " checkpoints volume), or set incremental.checkpoints in the pipeline config.");
    }
  }

  private static Duration parseInterval(String text) {
    Matcher matcher = INTERVAL.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
      throw Errors.usage(
          "Invalid --interval '"
              + text
              + "'. Use a positive duration such as 30s, 500ms, 5m or 1h.");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
