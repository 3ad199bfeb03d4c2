package io.cdcmedallion.quality;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the run log: one step (a silver entity or a gold table) of one run.
 *
 * @param runId id of the run (shared by its steps and its quarantined rows)
 * @param command CLI command or API caller, e.g. {@code run}
 * @param step {@code silver} or {@code gold}
 * @param target entity or gold table name
 * @param table the table written
 * @param mode how the table was built, e.g. {@code full_refresh}
 * @param startedAt start of the step
 * @param endedAt end of the step
 * @param rowsIn rows read (history rows for silver, computed rows for gold)
 * @param rowsOut rows the step wrote (0 when it failed): for a full refresh the rows in the target
 *     afterwards; for an incremental step the silver rows it inserted or updated (its changes, not
 *     the table size)
 * @param rowsQuarantined rows set aside by {@code drop} expectations
 * @param expectations counts per expectation
 * @param status {@code succeeded} or {@code failed}
 * @param error first line of the error, when it failed
 */
public record RunRecord(
    String runId,
    String command,
    String step,
    String target,
    String table,
    String mode,
    Instant startedAt,
    Instant endedAt,
    long rowsIn,
    long rowsOut,
    long rowsQuarantined,
    List<ExpectationCounts> expectations,
    String status,
    Optional<String> error) {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    expectations = List.copyOf(expectations);
    Objects.requireNonNull(error, "error");
  }
}
