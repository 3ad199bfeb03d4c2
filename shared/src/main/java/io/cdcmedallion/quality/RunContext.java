package io.cdcmedallion.quality;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One run of a command: its id (written to the run log and to quarantine rows) and the quality
 * reports its steps recorded, by target table.
 */
public final class RunContext {
  private final String runId;
  private final String command;
  private final Map<String, List<QualityReport>> reports = new ConcurrentHashMap<>();
  private final Map<String, Integer> batchPositions = new ConcurrentHashMap<>();

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
  public synchronized void record(String target, QualityReport report) {
    reports.computeIfAbsent(target, t -> new CopyOnWriteArrayList<>()).add(report);
  }

  /**
   * Records what the expectations of {@code target} saw in one micro-batch, identified by {@code
   * batch} (unique per checkpoint and batch id). A batch recorded before in this run, replayed
   * after a restart of its query, replaces its earlier report instead of adding to it: each bronze
   * row is counted once per run.
   */
  public synchronized void recordBatch(String target, String batch, QualityReport report) {
    List<QualityReport> all = reports.computeIfAbsent(target, t -> new CopyOnWriteArrayList<>());
    Integer position = batchPositions.get(target + "\n" + batch);
    if (position != null) {
      all.set(position, report);
    } else {
      batchPositions.put(target + "\n" + batch, all.size());
      all.add(report);
    }
  }

  /** What the expectations of {@code target} saw in this run, if it was checked. */
  public Optional<QualityReport> reportFor(String target) {
    return reportSince(target, 0);
  }

  /**
   * How many reports {@code target} has so far: a step that starts here and passes the number to
   * {@link #reportSince} gets what it checked itself, not what an earlier step of the run did (a
   * {@code --full-refresh} before an incremental step).
   */
  public int mark(String target) {
    return reports.getOrDefault(target, List.of()).size();
  }

  /**
   * The sum of the reports of {@code target} recorded after {@link #mark} returned {@code mark}.
   */
  public Optional<QualityReport> reportSince(String target, int mark) {
    List<QualityReport> all = reports.getOrDefault(target, List.of());
    return all.stream().skip(mark).reduce(QualityReport::plus);
  }
}
