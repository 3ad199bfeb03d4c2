package io.cdcmedallion.jobs;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.Secrets;
import io.cdcmedallion.gold.GoldResult;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.pipeline.PipelineListener;
import io.cdcmedallion.quality.ExpectationCounts;
import io.cdcmedallion.quality.QualityReport;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.SilverBatch;
import io.cdcmedallion.silver.SilverResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Progress lines a person wants to read, on standard output; nothing else. */
final class Console implements PipelineListener {
  private final PrintStream out;

  Console(PrintStream out) {
    this.out = out;
  }

  PrintStream out() {
    return out;
  }

  /** The status line shown in a terminal, overwritten in place; empty when none is shown. */
  private String status = "";

  synchronized void step(String step, String format, Object... args) {
    clearStatus();
    // Lines can quote what a user typed (a URL, say): never print a secret from it.
    out.printf(
        Locale.ROOT, "%s%n", line(step, Secrets.mask(String.format(Locale.ROOT, format, args))));
    out.flush();
  }

  /**
   * Shows {@code text} on a status line that the next status or progress line overwrites (for a
   * terminal: carriage return, no newline).
   */
  synchronized void status(String step, String text) {
    String next = line(step, text);
    // Pad with spaces so that a shorter line hides the end of the longer one before it.
    out.print("\r" + next + " ".repeat(Math.max(0, status.length() - next.length())));
    out.flush();
    status = next;
  }

  /** Removes the status line, if one is shown. */
  synchronized void clearStatus() {
    if (!status.isEmpty()) {
      out.print("\r" + " ".repeat(status.length()) + "\r");
      out.flush();
      status = "";
    }
  }

  private static String line(String step, String text) {
    return String.format(Locale.ROOT, "%-9s %s", "[" + step + "]", text);
  }

  @Override
  public void started(String step, String name, TableName target) {
    step(step, "%-12s started -> %s", name, target);
  }

  @Override
  public void silverDone(SilverResult r) {
    StringBuilder notes = new StringBuilder();
    if (r.ties() > 0) {
      notes.append(
          String.format(
              Locale.ROOT, ", %s tie%s resolved", count(r.ties()), r.ties() == 1 ? "" : "s"));
    }
    if (r.quarantinedRows() > 0) {
      notes.append(String.format(Locale.ROOT, ", %s rows quarantined", count(r.quarantinedRows())));
    }
    step(
        "silver",
        "%-12s %10s history rows -> %10s current rows  (%s shape%s%s)  %s -> %s",
        r.entity(),
        count(r.historyRows()),
        count(r.currentRows()),
        r.shape().configName(),
        r.bronzeVersion().isPresent() ? ", bronze v" + r.bronzeVersion().getAsLong() : "",
        notes,
        seconds(r.elapsed()),
        r.table());
  }

  @Override
  public void silverBatchDone(SilverBatch b) {
    step(
        "silver",
        "%-12s batch %-4d %10s rows read -> %s upserted, %s deleted, %s stale  %s",
        b.entity(),
        b.batchId(),
        count(b.rowsRead()),
        count(b.upserted()),
        count(b.deleted()),
        count(b.stale()),
        seconds(b.elapsed()));
  }

  @Override
  public void silverIncrementalDone(IncrementalResult r) {
    if (r.batches() == 0) {
      step(
          "silver",
          "%-12s %s  %s -> %s",
          r.entity(),
          r.rebuilt()
              ? "rebuilt from all history (no incremental state yet, or a column was added)"
              : "no new changes in bronze",
          seconds(r.elapsed()),
          r.table());
      return;
    }
    step(
        "silver",
        "%-12s incremental: %s batch%s, %s rows read -> %s upserted, %s deleted, %s stale%s  %s -> %s",
        r.entity(),
        count(r.batches()),
        r.batches() == 1 ? "" : "es",
        count(r.rowsRead()),
        count(r.upserted()),
        count(r.deleted()),
        count(r.stale()),
        r.rebuilt() ? ", then rebuilt from all history (a column was added)" : "",
        seconds(r.elapsed()),
        r.table());
  }

  @Override
  public void stepFailed(String step, String name, RuntimeException error) {
    step(step, "%-12s failed: %s", name, Errors.firstLine(error));
  }

  @Override
  public void goldDone(GoldResult r) {
    step(
        "gold",
        "%-30s %10s rows  %s -> %s",
        r.name(),
        count(r.rows()),
        seconds(r.elapsed()),
        r.table());
  }

  @Override
  public void qualityChecked(String name, TableName quarantine, QualityReport report) {
    // The contract checks run on every silver step; only worth a line when they found something.
    List<ExpectationCounts> shown =
        report.expectations().stream()
            .filter(c -> !c.name().startsWith(ConfigLoader.CONTRACT_PREFIX) || c.failed() > 0)
            .toList();
    if (shown.isEmpty()) {
      return;
    }
    String counts =
        shown.stream()
            .map(
                c ->
                    String.format(
                        Locale.ROOT,
                        "%s (%s) %s failed",
                        c.name(),
                        c.action().configName(),
                        count(c.failed())))
            .collect(Collectors.joining(", "));
    step(
        "quality",
        "%-12s %s%s",
        name,
        counts,
        report.rowsQuarantined() > 0
            ? String.format(
                Locale.ROOT, "; %s rows -> %s", count(report.rowsQuarantined()), quarantine)
            : "");
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String seconds(Duration d) {
    return seconds(d.toNanos());
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
