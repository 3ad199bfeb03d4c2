package io.cdcmedallion.config.internal;

import java.util.Optional;

/** The fields of {@code schemas:}, where the tables of each layer live. */
public final class SchemaOptions {
  private SchemaOptions() {}

  public static final Option<String> BRONZE =
      Option.of("bronze", "identifier", Field::identifier)
          .orElse("bronze", "`bronze`")
          .help("schema holding the `lb_<entity>_history` tables");

  public static final Option<String> SILVER =
      Option.of("silver", "identifier", Field::identifier)
          .orElse("silver", "`silver`")
          .help("schema of the silver, history, state and quarantine tables");

  public static final Option<String> GOLD =
      Option.of("gold", "identifier", Field::identifier)
          .orElse("gold", "`gold`")
          .help("schema of the gold tables");

  public static final Option<Optional<String>> RUN_LOG =
      Option.of("run_log", "identifier", Readers::identifier)
          .orElse(Optional.empty(), "the gold schema")
          .help("schema of the run log table `_medallion_runs`");

  /** The fields of {@code schemas:}. */
  public static final Section SECTION = Section.of(BRONZE, SILVER, GOLD, RUN_LOG);
}
