package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the SQL cells of a Databricks source-format notebook ({@code -- Databricks notebook source},
 * cells separated by {@code -- COMMAND ----------}) on a session, as Databricks would: markdown
 * cells ({@code -- MAGIC}) are skipped, {@code CREATE WIDGET TEXT name DEFAULT 'value'} cells
 * declare the widgets, and a widget's value is bound to the named parameter marker {@code :name}
 * and substituted for {@code ${name}}. A cell whose comment starts with {@code Check:} must return
 * no rows; every other cell must return at least one.
 */
final class NotebookCells {
  private static final String HEADER = "-- Databricks notebook source";
  private static final String SEPARATOR = "-- COMMAND ----------";
  private static final Pattern WIDGET =
      Pattern.compile("CREATE WIDGET TEXT (\\w+) DEFAULT '([^']*)';");
  private static final Pattern MARKER = Pattern.compile("(?<![:\\w]):([a-z_]+)\\b");
  private static final Pattern TEXT_PARAMETER = Pattern.compile("\\$\\{(\\w+)}");

  private NotebookCells() {}

  /** Runs every SQL cell of the notebook and returns how many ran. */
  static int runAll(SparkSession spark, Path notebook) throws IOException {
    String text = Files.readString(notebook, StandardCharsets.UTF_8);
    assertThat(text).as("%s starts with the notebook header", notebook).startsWith(HEADER + "\n");
    Map<String, String> widgets = new LinkedHashMap<>();
    List<String> sqlCells = new ArrayList<>();
    for (String cell : text.substring(HEADER.length()).split("\n" + SEPARATOR + "\n")) {
      String body = cell.strip();
      if (body.lines().allMatch(line -> line.startsWith("-- MAGIC"))) {
        continue;
      }
      if (body.startsWith("CREATE WIDGET")) {
        body.lines().forEach(line -> declare(notebook, line, widgets));
        continue;
      }
      sqlCells.add(body);
    }
    assertThat(sqlCells).as("SQL cells of %s", notebook).isNotEmpty();
    for (String cell : sqlCells) {
      String sql = substitute(notebook, cell, widgets);
      Map<String, Object> args = new LinkedHashMap<>();
      Matcher marker = MARKER.matcher(withoutComments(sql));
      while (marker.find()) {
        args.put(marker.group(1), widget(notebook, marker.group(1), widgets));
      }
      List<Row> rows = spark.sql(sql, args).collectAsList();
      if (cell.startsWith("-- Check:")) {
        assertThat(rows).as("%s, check cell:%n%s", notebook, cell).isEmpty();
      } else {
        assertThat(rows).as("%s, cell:%n%s", notebook, cell).isNotEmpty();
      }
    }
    return sqlCells.size();
  }

  private static String substitute(Path notebook, String cell, Map<String, String> widgets) {
    Matcher parameter = TEXT_PARAMETER.matcher(cell);
    StringBuilder out = new StringBuilder();
    while (parameter.find()) {
      String value = widget(notebook, parameter.group(1), widgets);
      assertThat(value).as("widget %s used as a name", parameter.group(1)).matches("\\w+");
      parameter.appendReplacement(out, value);
    }
    parameter.appendTail(out);
    return out.toString();
  }

  private static String widget(Path notebook, String name, Map<String, String> widgets) {
    assertThat(widgets).as("widget %s used in %s", name, notebook).containsKey(name);
    return widgets.get(name);
  }

  private static void declare(Path notebook, String line, Map<String, String> widgets) {
    Matcher widget = WIDGET.matcher(line.strip());
    assertThat(widget.matches()).as("widget line in %s: %s", notebook, line).isTrue();
    widgets.put(widget.group(1), widget.group(2));
  }

  private static String withoutComments(String sql) {
    return String.join("\n", sql.lines().filter(l -> !l.strip().startsWith("--")).toList());
  }
}
