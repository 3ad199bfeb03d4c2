package io.cdcmedallion.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness ({@code ./medallion bench}): for each history size, generates the bronze
 * table once, then measures every variant in its own JVM on that same data, and writes the results
 * table and plot.
 *
 * <pre>
 * ./medallion bench [--sizes 1m,10m,100m] [--runs 5] [--variants cookbook-spark,...] [--out DIR]
 *     [--regenerate]
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  static final String USAGE =
      "usage: ./medallion bench [--sizes 1m,10m,100m] [--runs 5] [--variants cookbook-spark,...]"
          + " [--out DIR] [--regenerate]";

  private static final List<String> OPTIONS =
      List.of("sizes", "runs", "variants", "out", "regenerate", "help");

  public static void main(String[] args) throws Exception {
    Map<String, String> options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (options.containsKey("help")) {
      System.out.println(USAGE);
      System.out.println("variants: " + Variant.cliNames() + "; see BENCHMARKS.md");
      return;
    }
    List<Long> sizes =
        Arrays.stream(options.getOrDefault("sizes", "1m,10m,100m").split(","))
            .map(BenchMain::parseSize)
            .toList();
    int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
    List<Variant> variants =
        Arrays.stream(
                options
                    .getOrDefault(
                        "variants",
                        "cookbook-spark,silver-full,duckdb,gold,incremental,incremental-realistic")
                    .split(","))
            .map(Variant::fromCli)
            .toList();
    Path out = Paths.get(options.getOrDefault("out", "bench-results")).toAbsolutePath();
    Files.createDirectories(out);

    List<Measurement> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (long size : sizes) {
      Path lakehouse = out.resolve("lakehouse-" + sizeLabel(size));
      System.out.printf("== %s rows (lakehouse %s)%n", sizeLabel(size), lakehouse);
      List<Measurement> sizeResults = new ArrayList<>();
      if (Files.exists(lakehouse.resolve(BenchWorker.FILE_LIST))
          && !Files.exists(lakehouse.resolve(BenchWorker.APPENDED_MARKER))
          && !options.containsKey("regenerate")) {
        System.out.println("   history exists; reusing it (--regenerate to write it again)");
      } else {
        deleteRecursively(lakehouse);
        sizeResults.addAll(runWorker(Variant.GENERATE, lakehouse, size, 1));
        print(sizeResults.get(0));
      }
      for (Variant variant : variants) {
        if (variant == Variant.PEER) {
          continue; // measured by the incremental-realistic worker, on the same batches
        }
        try {
          for (Measurement m : runWorker(variant, lakehouse, size, runs)) {
            sizeResults.add(m);
            print(m);
          }
        } catch (IllegalStateException e) {
          // One failing variant must not cost the whole run its other measurements.
          String failure = sizeLabel(size) + " " + variant.cliName() + ": " + e.getMessage();
          failures.add(failure);
          System.out.println("   FAILED " + failure + " (see its output above)");
        }
      }
      checkAgreement(sizeResults);
      results.addAll(sizeResults);
    }
    Report.write(out, results, runs, String.join(" ", args));
    System.out.println("Results: " + out.resolve(Report.TABLE) + ", " + out.resolve(Report.PLOT));
    if (!failures.isEmpty()) {
      System.out.println("Failed variants (not in the results): " + String.join("; ", failures));
      System.exit(1);
    }
  }

  private static List<Measurement> runWorker(Variant variant, Path lakehouse, long rows, int runs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // The worker gets this JVM's options (Spark's --add-opens from the launcher, -Xmx if set).
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchWorker.class.getName());
    command.add(variant.cliName());
    command.add(lakehouse.toString());
    command.add(Long.toString(rows));
    command.add(Integer.toString(runs));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Measurement> result = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith(Measurement.PREFIX)) {
          result.add(Measurement.parse(line));
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || result.isEmpty()) {
      throw new IllegalStateException(
          "benchmark worker for " + variant.cliName() + " failed with exit code " + exit);
    }
    return result;
  }

  /** Silver variants must produce the same number of rows, or the comparison means nothing. */
  private static void checkAgreement(List<Measurement> results) {
    List<Measurement> silver =
        results.stream()
            .filter(
                m ->
                    m.variant() == Variant.COOKBOOK_SPARK
                        || m.variant() == Variant.SILVER_FULL
                        || m.variant() == Variant.DUCKDB)
            .toList();
    long distinct = silver.stream().mapToLong(Measurement::rowsOut).distinct().count();
    if (distinct > 1) {
      throw new IllegalStateException(
          "silver variants disagree on the row count: "
              + silver.stream().map(m -> m.variant().cliName() + "=" + m.rowsOut()).toList());
    }
  }

  private static void print(Measurement m) {
    System.out.printf(
        Locale.ROOT,
        "   %-24s rows in %,d  out %,d  cold %,d ms  warm median %,d ms  peak RSS %,d MiB%n",
        m.variant().label(),
        m.rowsIn(),
        m.rowsOut(),
        m.coldMillis(),
        m.warmMedianMillis(),
        m.peakRssKib() / 1024);
  }

  static long parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long factor = 1;
    if (t.endsWith("k")) {
      factor = 1_000;
    } else if (t.endsWith("m")) {
      factor = 1_000_000;
    }
    String digits = factor == 1 ? t : t.substring(0, t.length() - 1);
    return Long.parseLong(digits) * factor;
  }

  static String sizeLabel(long rows) {
    if (rows % 1_000_000 == 0) {
      return rows / 1_000_000 + "m";
    }
    if (rows % 1_000 == 0) {
      return rows / 1_000 + "k";
    }
    return Long.toString(rows);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-h")) {
        options.put("help", "true");
        continue;
      }
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option --" + name + "; known: --" + String.join(", --", OPTIONS));
      }
      if (name.equals("regenerate") || name.equals("help")) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    return options;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
