package io.cdcmedallion.config.internal;

import io.cdcmedallion.quality.ExpectationAction;

/**
 * The fields of one data-quality expectation ({@code expectations:} of an entity or gold table).
 */
public final class ExpectationOptions {
  private ExpectationOptions() {}

  public static final Option<String> NAME =
      Option.of("name", "identifier, unique per table", Field::identifier)
          .required("a name for the expectation, e.g. non_negative_total")
          .help(
              "names the rule in counts, the run log and messages; `contract_…` names are reserved");

  public static final Option<String> EXPR =
      Option.of(
              "expr",
              "boolean Spark SQL expression",
              f -> Readers.sqlExpression(f, "total_amount >= 0"))
          .required("a boolean Spark SQL expression, e.g. total_amount >= 0")
          .help("a row passes when this is true; false or NULL fails it");

  public static final Option<ExpectationAction> ACTION =
      Option.of(
              "action",
              "`warn`, `drop`, `fail`",
              f -> f.choice(ExpectationAction.values(), ExpectationAction::configName))
          .orElse(ExpectationAction.WARN, "`warn`")
          .help(
              "what a failing row does: counted (`warn`), moved to quarantine (`drop`), or stops the run (`fail`)");

  /** The fields of an expectation. */
  public static final Section SECTION = Section.of(NAME, EXPR, ACTION);
}
