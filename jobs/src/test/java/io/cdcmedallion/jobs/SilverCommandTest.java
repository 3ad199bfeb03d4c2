package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
