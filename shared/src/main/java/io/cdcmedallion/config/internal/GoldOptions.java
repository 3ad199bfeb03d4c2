package io.cdcmedallion.config.internal;

import java.util.List;
import java.util.Optional;

/** The fields of one gold table ({@code gold:} list). */
public final class GoldOptions {
  private GoldOptions() {}

  public static final Option<String> NAME =
      Option.of("name", "identifier", Field::identifier)
          .required("the gold table name")
          .help("gold table name; without `sql`, one of the built-in gold tables");

  public static final Option<Optional<String>> SQL =
      Option.of("sql", "path relative to the config file", f -> Optional.of(f.scalar()))
          .orElse(Optional.empty(), "none (built-in table)")
          .help("file holding one SELECT (or WITH … SELECT) statement");

  public static final Option<List<Values>> EXPECTATIONS =
      Option.of("expectations", "list of expectations", Readers.listOf(ExpectationOptions.SECTION))
          .orElse(List.of(), "none")
          .help("data-quality rules on the computed gold rows")
          .nested(ExpectationOptions.SECTION);

  /** The fields of a gold table. */
  public static final Section SECTION = Section.of(NAME, SQL, EXPECTATIONS);
}
