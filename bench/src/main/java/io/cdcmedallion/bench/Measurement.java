package io.cdcmedallion.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker measured for one variant on one history size, passed from the worker process to the
 * harness as one {@code RESULT key=value ...} line on stdout.
 *
 * @param variant what was measured
 * @param rowsIn rows of the bronze history
 * @param rowsOut rows the variant wrote (silver rows, gold rows, ...), to check variants agree
 * @param sessionMillis time to start the Spark session (0 for DuckDB)
 * @param coldMillis the first run in a fresh JVM
 * @param warmMillis the runs after the first
 * @param peakRssKib the worker process's peak resident memory (VmHWM)
 */
record Measurement(
    Variant variant,
    long rowsIn,
    long rowsOut,
    long sessionMillis,
    long coldMillis,
    List<Long> warmMillis,
    long peakRssKib) {
  static final String PREFIX = "RESULT ";

  Measurement {
    warmMillis = List.copyOf(warmMillis);
  }

  /** Median of the warm runs, or the cold run when there was only one run. */
  long warmMedianMillis() {
    if (warmMillis.isEmpty()) {
      return coldMillis;
    }
    List<Long> sorted = new ArrayList<>(warmMillis);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Input rows per second at the warm median. */
  double rowsPerSecond() {
    return rowsIn * 1000.0 / Math.max(1, warmMedianMillis());
  }

  String toLine() {
    return PREFIX
        + "variant="
        + variant.cliName()
        + " rows_in="
        + rowsIn
        + " rows_out="
        + rowsOut
        + " session_ms="
        + sessionMillis
        + " cold_ms="
        + coldMillis
        + " warm_ms="
        + String.join(",", warmMillis.stream().map(String::valueOf).toList())
        + " peak_rss_kib="
        + peakRssKib;
  }

  static Measurement parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : line.substring(PREFIX.length()).trim().split(" ")) {
      int eq = part.indexOf('=');
      fields.put(part.substring(0, eq), part.substring(eq + 1));
    }
    String warm = fields.get("warm_ms");
    List<Long> warmRuns =
        warm.isEmpty() ? List.of() : Arrays.stream(warm.split(",")).map(Long::valueOf).toList();
    return new Measurement(
        Variant.fromCli(fields.get("variant")),
        Long.parseLong(fields.get("rows_in")),
        Long.parseLong(fields.get("rows_out")),
        Long.parseLong(fields.get("session_ms")),
        Long.parseLong(fields.get("cold_ms")),
        warmRuns,
        Long.parseLong(fields.get("peak_rss_kib")));
  }
}
