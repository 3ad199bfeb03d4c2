package io.cdcmedallion.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** One line describing the machine a benchmark ran on, read from /proc where it exists. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = firstValue(Paths.get("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    String memory =
        firstValue(Paths.get("/proc/meminfo"), "MemTotal")
            .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024 / 1024)
            .map(gib -> gib + " GiB RAM")
            .orElse("unknown RAM");
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %s, Java %s (%s), %s %s",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memory,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }

  private static java.util.Optional<String> firstValue(Path file, String key) {
    if (!Files.isReadable(file)) {
      return java.util.Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return java.util.Optional.of(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }
}
