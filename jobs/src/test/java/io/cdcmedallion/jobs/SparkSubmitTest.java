package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.testing.SparkTestBase;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.deploy.SparkSubmit;
import org.junit.jupiter.api.Test;

/**
 * The thin jar through {@code spark-submit} ({@link SparkSubmit}, in a child JVM because it calls
 * System.exit), as on any Spark 4.0 cluster: Spark's own jars on the classpath, Delta given with
 * {@code --jars} and {@code --conf}s as Delta's documentation says, {@code --master local[2]}. It
 * runs {@code demo} into the session catalog; every table the demo reports is then read back from
 * the warehouse directory and must have the row count the demo printed.
 */
class SparkSubmitTest extends SparkTestBase {
  private static final Pattern COUNT_LINE =
      Pattern.compile("^  spark_catalog\\.(\\w+)\\.(\\w+)\\s+([\\d,]+)$", Pattern.MULTILINE);

  @Test
  void theThinJarRunsTheDemoUnderSparkSubmitAndWritesItsDeltaTables() throws Exception {
    Path warehouse = lakehouseDir.resolve("submit-warehouse");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore"))
        .forEach(command::add);
    command.addAll(List.of("-cp", sparkClasspath(), SparkSubmit.class.getName()));
    command.addAll(
        List.of(
            "--master",
            "local[2]",
            "--class",
            MedallionCli.class.getName(),
            "--jars",
            codeSource(io.delta.sql.DeltaSparkSessionExtension.class)
                + ","
                + codeSource(io.delta.storage.LogStore.class),
            "--conf",
            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
            "--conf",
            "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "--conf",
            "spark.sql.warehouse.dir=" + warehouse.toUri(),
            "--conf",
            "spark.sql.shuffle.partitions=2",
            "--conf",
            "spark.ui.enabled=false",
            ProjectFiles.thinJar().toString(),
            "demo",
            "--catalog",
            "spark_catalog"));
    Path log = lakehouseDir.resolve("spark-submit.log");
    Process process =
        new ProcessBuilder(command)
            .directory(lakehouseDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("spark-submit did not finish; its output: " + log);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("[spark]   spark-submit session on local[2]");

    Map<String, Long> printed = new LinkedHashMap<>();
    Matcher line = COUNT_LINE.matcher(output);
    while (line.find()) {
      printed.put(
          line.group(1) + "/" + line.group(2), Long.parseLong(line.group(3).replace(",", "")));
    }
    assertThat(printed).as(output).hasSize(12);
    printed.forEach(
        (table, count) -> {
          String[] parts = table.split("/");
          Path dir = warehouse.resolve(parts[0] + ".db").resolve(parts[1]);
          assertThat(spark.read().format("delta").load(dir.toString()).count())
              .as("rows of %s", dir)
              .isEqualTo(count)
              .isPositive();
        });
  }

  /**
   * Spark's jars as a Spark distribution has them: the test classpath less Delta and this project.
   */
  private static String sparkClasspath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return String.join(
        File.pathSeparator,
        Stream.of(classpath.split(File.pathSeparator))
            .filter(entry -> !entry.contains("delta-spark") && !entry.contains("delta-storage"))
            .filter(entry -> !entry.contains("cdc-medallion") && !entry.contains("/target/"))
            .filter(entry -> !entry.contains("snakeyaml") && !entry.contains("picocli"))
            .toList());
  }

  private static String codeSource(Class<?> anchor) throws URISyntaxException {
    return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
