package io.cdcmedallion.quality;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of a command: its id (written to the run log and to quarantine rows) and the quality
 * reports its steps recorded, by target table.
 */
public final class RunContext {
  private final String runId;
  private final String command;
  private final Map<String, QualityReport> reports = new ConcurrentHashMap<>();

  private RunContext(String runId, String command) {
    this.runId = Objects.requireNonNull(runId, "runId");
    this.command = Objects.requireNonNull(command, "command");
  }

  /** A new run with a fresh random id. */
  public static RunContext start(String command) {
    return new RunContext(UUID.randomUUID().toString(), command);
  }

  /** The run id. */
  public String runId() {
    return runId;
  }

  /** The command that started the run, e.g. {@code silver}. */
  public String command() {
    return command;
  }

  /**
   * Records what the expectations of {@code target} saw; a second report for the same target (the
   * next micro-batch) is added to the first.
   */
  public void record(String target, QualityReport report) {
    reports.merge(target, report, QualityReport::plus);
  }

  /** What the expectations of {@code target} saw in this run, if it was checked. */
  public Optional<QualityReport> reportFor(String target) {
    return Optional.ofNullable(reports.get(target));
  }
}
