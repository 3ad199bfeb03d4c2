package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.pipeline.PipelineConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code silver} option checks; they fail before Spark starts, so no lakehouse is created. */
class SilverCommandTest {
  @TempDir Path dir;

  private CliRun silver(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "silver";
    all[1] = "--lakehouse";
    all[2] = dir.resolve("lakehouse").toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.of(all);
  }

  private void assertUsageError(CliRun run, String message) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: " + message);
    assertThat(Files.exists(dir.resolve("lakehouse"))).as("Spark was not started").isFalse();
  }

  @Test
  void incrementalOptionsNeedIncrementalMode() {
    assertUsageError(
        silver("--trigger", "continuous"),
        "--trigger, --interval and --full-refresh apply to incremental silver only. Add --mode incremental, or drop them (--mode full always rebuilds from all history).");
    assertUsageError(
        silver("--mode", "sideways"),
        "Unknown --mode 'sideways'. Use --mode full (default) or --mode incremental.");
  }

  @Test
  void triggerAndIntervalAreChecked() {
    assertUsageError(
        silver("--mode", "incremental", "--trigger", "sometimes"),
        "Unknown --trigger 'sometimes'. Use --trigger available-now (default) or --trigger continuous.");
    assertUsageError(
        silver("--mode", "incremental", "--interval", "30s"),
        "--interval applies to --trigger continuous only. Add --trigger continuous, or drop --interval.");
    assertUsageError(
        silver("--mode", "incremental", "--trigger", "continuous", "--interval", "0s"),
        "Invalid --interval '0s'. Use a positive duration such as 30s, 500ms, 5m or 1h.");
  }

  @Test
  void incrementalSilverOnDatabricksNeedsACheckpointsFolder() {
    PipelineConfig config = PipelineConfigs.load(Optional.empty());
    Map<String, String> databricks = Map.of("DATABRICKS_RUNTIME_VERSION", "17.3");

    assertThatThrownBy(() -> SilverCommand.requireDurableCheckpoints(config, databricks))
        .hasMessage(
            "Incremental silver on Databricks needs a checkpoints folder that outlives the run."
                + " Add --checkpoints /Volumes/<catalog>/<schema>/<volume> (the bundle passes its"
                + " checkpoints volume), or set incremental.checkpoints in the pipeline config.");
    // Locally, the default folder in the lakehouse is fine; on Databricks, a given one is.
    SilverCommand.requireDurableCheckpoints(config, Map.of());
    WorkspaceOptions options = new WorkspaceOptions();
    options.checkpoints = "/Volumes/main/silver/checkpoints";
    PipelineConfig withCheckpoints = options.apply(config);
    SilverCommand.requireDurableCheckpoints(withCheckpoints, databricks);
    assertThat(withCheckpoints.incremental().checkpoints())
        .contains("/Volumes/main/silver/checkpoints");
  }

  @Test
  void anEmptyCheckpointsFolderIsRefused() {
    assertUsageError(
        silver("--mode", "incremental", "--checkpoints", " "),
        "--checkpoints is empty. Give a folder path or URI, e.g. --checkpoints /Volumes/main/silver/checkpoints.");
  }
}
