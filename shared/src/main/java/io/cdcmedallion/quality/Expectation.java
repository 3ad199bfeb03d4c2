package io.cdcmedallion.quality;

import io.cdcmedallion.sql.Identifiers;
import java.util.Objects;

/**
 * One data-quality rule: a row passes when {@code expression} (a Spark SQL boolean expression over
 * the table's columns) is true; false or NULL fails it.
 *
 * @param name identifier naming the rule in counts, messages and the quarantine table
 * @param expression Spark SQL boolean expression, e.g. {@code total_amount >= 0}
 * @param action what happens to a failing row
 * @param source where the rule was declared, e.g. {@code pipeline.yml:14}, for messages
 */
public record Expectation(String name, String expression, ExpectationAction action, String source) {
  public Expectation {
    Identifiers.requireValid(name, "expectation name");
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      throw new IllegalArgumentException("expectation " + name + " has an empty expression");
    }
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(source, "source");
  }
}
