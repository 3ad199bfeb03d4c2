package io.cdcmedallion.pipeline;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.quality.QualityReport;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.quality.RunLog;
import io.cdcmedallion.quality.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** Runs one pipeline step and appends its outcome, succeeded or failed, to the run log. */
final class LoggedSteps {
  /** The run log's mode of a step that rebuilds its table from scratch. */
  static final String FULL_REFRESH = "full_refresh";

  /** The run log's mode of a step that applies only new bronze changes. */
  static final String INCREMENTAL = "incremental";

  private final RunContext run;
  private final Optional<RunLog> runLog;

  LoggedSteps(RunContext run, Optional<RunLog> runLog) {
    this.run = run;
    this.runLog = runLog;
  }

  <T> T run(
      String step,
      String mode,
      String name,
      TableName target,
      Supplier<T> work,
      ToLongFunction<T> rowsOut) {
    Instant started = Instant.now();
    int mark = run.mark(target.toString());
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      logFailure(step, mode, name, target, started, mark, e);
      throw e;
    }
    logSuccess(step, mode, name, target, started, mark, rowsOut.applyAsLong(result));
    return result;
  }

  /**
   * Logs a step that succeeded (for one that ran elsewhere, e.g. a continuous query); its quality
   * counts are those recorded after {@code mark} ({@link RunContext#mark}), so that an earlier step
   * of the run on the same table is not counted again.
   */
  void logSuccess(
      String step,
      String mode,
      String name,
      TableName target,
      Instant started,
      int mark,
      long rowsOut) {
    log(step, mode, name, target, started, mark, rowsOut, RunRecord.SUCCEEDED, Optional.empty());
  }

  /**
   * Logs a step that failed with {@code error}; a failure to log is added to {@code error} as
   * suppressed, so the step's own error is the one reported.
   */
  void logFailure(
      String step,
      String mode,
      String name,
      TableName target,
      Instant started,
      int mark,
      Exception error) {
    try {
      log(
          step,
          mode,
          name,
          target,
          started,
          mark,
          0,
          RunRecord.FAILED,
          Optional.of(Errors.firstLine(error)));
    } catch (RuntimeException logFailure) {
      error.addSuppressed(logFailure);
    }
  }

  private void log(
      String step,
      String mode,
      String name,
      TableName target,
      Instant started,
      int mark,
      long rowsOut,
      String status,
      Optional<String> error) {
    if (runLog.isEmpty()) {
      return;
    }
    Optional<QualityReport> quality = run.reportSince(target.toString(), mark);
    runLog
        .get()
        .append(
            new RunRecord(
                run.runId(),
                run.command(),
                step,
                name,
                target.toString(),
                mode,
                started,
                Instant.now(),
                quality.map(QualityReport::rowsIn).orElse(rowsOut),
                rowsOut,
                quality.map(QualityReport::rowsQuarantined).orElse(0L),
                quality.map(QualityReport::expectations).orElse(List.of()),
                status,
                error));
  }
}
