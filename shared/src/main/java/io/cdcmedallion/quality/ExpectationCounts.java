package io.cdcmedallion.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one expectation saw in one check (or summed over the micro-batches of one run).
 *
 * @param name expectation name
 * @param action its action
 * @param passed rows for which the expression was true
 * @param failed rows for which it was false or NULL
 * @param dropped rows removed from the output because of it ({@code failed} for {@code drop}, 0
 *     otherwise)
 */
public record ExpectationCounts(
    String name, ExpectationAction action, long passed, long failed, long dropped) {

  /** Sums two lists of counts by expectation name, keeping first-seen order. */
  public static List<ExpectationCounts> sum(
      List<ExpectationCounts> left, List<ExpectationCounts> right) {
    Map<String, ExpectationCounts> byName = new LinkedHashMap<>();
    for (ExpectationCounts c : left) {
      byName.merge(c.name(), c, ExpectationCounts::plus);
    }
    for (ExpectationCounts c : right) {
      byName.merge(c.name(), c, ExpectationCounts::plus);
    }
    return List.copyOf(new ArrayList<>(byName.values()));
  }

  private ExpectationCounts plus(ExpectationCounts other) {
    return new ExpectationCounts(
        name, action, passed + other.passed, failed + other.failed, dropped + other.dropped);
  }
}
