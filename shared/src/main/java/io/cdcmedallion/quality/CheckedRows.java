package io.cdcmedallion.quality;

import io.cdcmedallion.errors.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The result of {@link Expectations#apply}: the counts (already computed) and two lazy Datasets.
 */
public final class CheckedRows {
  private final Dataset<Row> kept;
  private final Dataset<Row> quarantined;
  private final QualityReport report;
  private final String table;
  private final Map<Expectation, Dataset<Row>> failing;

  CheckedRows(
      Dataset<Row> kept,
      Dataset<Row> quarantined,
      QualityReport report,
      String table,
      Map<Expectation, Dataset<Row>> failing) {
    this.kept = kept;
    this.quarantined = quarantined;
    this.report = report;
    this.table = table;
    this.failing = Map.copyOf(failing);
  }

  /** Rows that failed no {@code drop} expectation, with the input's columns. */
  public Dataset<Row> kept() {
    return kept;
  }

  /**
   * Rows that failed a {@code drop} expectation: the input's columns plus {@value
   * Expectations#FAILED_COLUMN} (names of every expectation the row failed).
   */
  public Dataset<Row> quarantined() {
    return quarantined;
  }

  /** Rows in, kept, quarantined, and counts per expectation. */
  public QualityReport report() {
    return report;
  }

  /**
   * Throws when a {@code fail} expectation failed on some row, naming the first such expectation
   * (in declaration order), the table and up to five failing rows. Call it before writing anything.
   */
  public void requireNoFailures() {
    for (ExpectationCounts c : report.failures()) {
      Expectation e =
          failing.keySet().stream()
              .filter(x -> x.name().equals(c.name()))
              .findFirst()
              .orElseThrow();
      List<String> examples = new ArrayList<>();
      for (Row row : failing.get(e).collectAsList()) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          parts.add(row.schema().fieldNames()[i] + "=" + (row.isNullAt(i) ? "NULL" : row.get(i)));
        }
        examples.add(String.join(" ", parts));
      }
      throw Errors.expectationFailed(
          e.name(),
          e.expression(),
          table,
          c.failed(),
          report.rowsIn(),
          String.join(", ", examples),
          e.source());
    }
  }
}
