package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineConfigs;
import io.cdcmedallion.sample.GeneratorSettings;
import io.cdcmedallion.sample.ShopHistoryGenerator;
import io.cdcmedallion.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every SQL cell of every notebook in {@code notebooks/} (Databricks source format) against a
 * local lakehouse built by the generator and the pipeline. Widgets ({@code CREATE WIDGET TEXT name
 * DEFAULT 'value'}) become the values of the cells' named parameter markers ({@code :name}), as on
 * Databricks. A cell whose comment starts with {@code Check:} must return no rows; every other cell
 * must return at least one.
 */
class NotebooksTest extends SparkTestBase {
  private static final String HEADER = "-- Databricks notebook source";
  private static final String SEPARATOR = "-- COMMAND ----------";
  private static final Pattern WIDGET =
      Pattern.compile("CREATE WIDGET TEXT (\\w+) DEFAULT '([^']*)';");
  private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_]+)\\b");

  @BeforeAll
  static void buildLakehouse() {
    PipelineConfig config = PipelineConfigs.load(Optional.empty());
    new ShopHistoryGenerator(spark, config)
        .generate(new GeneratorSettings(1, 42, MetadataShape.COOKBOOK));
    MedallionPipeline pipeline =
        new MedallionPipeline(
            spark, config, new Console(new PrintStream(new ByteArrayOutputStream(), true)));
    pipeline.silver(Optional.empty());
    pipeline.gold(Optional.empty());
  }

  @Test
  void everySqlCellOfEveryNotebookRunsAndGivesTheExpectedRows() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(ProjectFiles.root().resolve("notebooks"))) {
      notebooks = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(notebooks)
        .extracting(p -> p.getFileName().toString())
        .contains("explore_bronze_history.sql", "silver_and_gold.sql", "data_quality.sql");
    int cellsRun = 0;
    for (Path notebook : notebooks) {
      cellsRun += runCells(notebook);
    }
    assertThat(cellsRun).isGreaterThanOrEqualTo(12);
  }

  private static int runCells(Path notebook) throws IOException {
    String text = Files.readString(notebook, StandardCharsets.UTF_8);
    assertThat(text).as("%s starts with the notebook header", notebook).startsWith(HEADER + "\n");
    Map<String, String> widgets = new LinkedHashMap<>();
    List<String> sqlCells = new ArrayList<>();
    for (String cell : text.substring(HEADER.length()).split("\n" + SEPARATOR + "\n")) {
      String body = cell.strip();
      if (body.lines().allMatch(line -> line.startsWith("-- MAGIC"))) {
        continue; // markdown
      }
      if (body.startsWith("CREATE WIDGET")) {
        body.lines().forEach(line -> declareWidget(notebook, line, widgets));
        continue;
      }
      sqlCells.add(body);
    }
    assertThat(sqlCells).as("SQL cells of %s", notebook).isNotEmpty();
    for (String sql : sqlCells) {
      Map<String, Object> args = new LinkedHashMap<>();
      Matcher parameter = PARAMETER.matcher(withoutComments(sql));
      while (parameter.find()) {
        String name = parameter.group(1);
        assertThat(widgets).as("widget for :%s in %s", name, notebook).containsKey(name);
        args.put(name, widgets.get(name));
      }
      List<Row> rows = spark.sql(sql, args).collectAsList();
      if (sql.startsWith("-- Check:")) {
        assertThat(rows).as("%s, check cell:%n%s", notebook, sql).isEmpty();
      } else {
        assertThat(rows).as("%s, cell:%n%s", notebook, sql).isNotEmpty();
      }
    }
    return sqlCells.size();
  }

  private static void declareWidget(Path notebook, String line, Map<String, String> widgets) {
    Matcher widget = WIDGET.matcher(line.strip());
    assertThat(widget.matches()).as("widget line in %s: %s", notebook, line).isTrue();
    widgets.put(widget.group(1), widget.group(2));
  }

  private static String withoutComments(String sql) {
    return sql.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
  }
}
