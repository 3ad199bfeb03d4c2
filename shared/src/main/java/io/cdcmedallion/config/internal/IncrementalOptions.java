package io.cdcmedallion.config.internal;

import io.cdcmedallion.config.IncrementalConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fields of {@code incremental:}, the settings of incremental silver. */
public final class IncrementalOptions {
  private IncrementalOptions() {}

  private static final Pattern DURATION = Pattern.compile("^(\\d{1,9})\\s*([smhd])$");

  public static final Option<Optional<String>> CHECKPOINTS =
      Option.of("checkpoints", "path or URI", IncrementalOptions::checkpoints)
          .orElse(Optional.empty(), "`DIR/_checkpoints`")
          .help("folder holding one streaming checkpoint per entity");

  public static final Option<Duration> TOMBSTONE_RETENTION =
      Option.of(
              "tombstone_retention",
              "duration: a number and `s`, `m`, `h` or `d`",
              IncrementalOptions::duration)
          .orElse(IncrementalConfig.DEFAULT_TOMBSTONE_RETENTION, "`7d`")
          .help("how long incremental silver keeps the key and sequence of a delete");

  /** The fields of {@code incremental:}. */
  public static final Section SECTION = Section.of(CHECKPOINTS, TOMBSTONE_RETENTION);

  private static Optional<String> checkpoints(Field f) {
    String path = f.scalar().strip();
    if (path.isEmpty()) {
      throw f.error("is empty", "a folder path or URI, e.g. /Volumes/main/silver/checkpoints");
    }
    return Optional.of(path);
  }

  private static Duration duration(Field f) {
    String text = f.scalar().strip();
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw f.error("is '" + text + "'", "a duration such as 7d, 12h, 30m or 0s");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
