package io.cdcmedallion.quality;

import java.util.List;

/**
 * What the expectations of one table saw in one run: {@code rowsIn = rowsKept + rowsQuarantined}.
 *
 * @param rowsIn rows checked
 * @param rowsKept rows passed on to the target
 * @param rowsQuarantined rows removed by {@code drop} expectations (copied to the quarantine table)
 * @param expectations counts per expectation, in declaration order
 */
public record QualityReport(
    long rowsIn, long rowsKept, long rowsQuarantined, List<ExpectationCounts> expectations) {
  public QualityReport {
    expectations = List.copyOf(expectations);
  }

  /** A report of nothing checked. */
  public static QualityReport empty() {
    return new QualityReport(0, 0, 0, List.of());
  }

  /** The sum of two reports, e.g. of two micro-batches of one run. */
  public QualityReport plus(QualityReport other) {
    return new QualityReport(
        rowsIn + other.rowsIn,
        rowsKept + other.rowsKept,
        rowsQuarantined + other.rowsQuarantined,
        ExpectationCounts.sum(expectations, other.expectations));
  }

  /** The counts of the expectations with action {@code fail} that failed on some row. */
  public List<ExpectationCounts> failures() {
    return expectations.stream()
        .filter(c -> c.action() == ExpectationAction.FAIL && c.failed() > 0)
        .toList();
  }
}
