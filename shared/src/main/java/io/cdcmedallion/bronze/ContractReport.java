package io.cdcmedallion.bronze;

import java.util.ArrayList;
import java.util.List;

/**
 * Result of checking a history table against the contract.
 *
 * @param rows rows in the table
 * @param invalidRows rows that break the contract in at least one way
 * @param nullKeys rows with a null in any key column
 * @param nullSequences rows whose LSN is null or unreadable
 * @param unknownChangeTypes rows whose change type is null or not one of the four known values
 * @param unknownChangeTypeExamples up to five of the unknown values seen
 * @param layout the layout checked
 */
public record ContractReport(
    long rows,
    long invalidRows,
    long nullKeys,
    long nullSequences,
    long unknownChangeTypes,
    List<String> unknownChangeTypeExamples,
    HistoryLayout layout) {

  /** True when no row breaks the contract. */
  public boolean isClean() {
    return invalidRows == 0;
  }

  /** Upper bound of rows that break the contract (a row can break it in several ways). */
  public long violations() {
    return nullKeys + nullSequences + unknownChangeTypes;
  }

  /**
   * Human-readable details, e.g. {@code 2 with a null key (order_id), 1 with an unknown
   * _change_type ('upsert')}.
   */
  public String details() {
    List<String> parts = new ArrayList<>();
    if (nullKeys > 0) {
      parts.add(nullKeys + " with a null key (" + String.join(", ", layout.keys()) + ")");
    }
    if (nullSequences > 0) {
      parts.add(nullSequences + " with a null or unreadable " + layout.shape().lsnColumn());
    }
    if (unknownChangeTypes > 0) {
      parts.add(
          unknownChangeTypes
              + " with an unknown "
              + layout.changeTypeColumn()
              + " (seen: "
              + String.join(
                  ", ", unknownChangeTypeExamples.stream().map(v -> "'" + v + "'").toList())
              + "; allowed: "
              + String.join(", ", ChangeType.allValues())
              + ")");
    }
    return String.join(", ", parts);
  }
}
