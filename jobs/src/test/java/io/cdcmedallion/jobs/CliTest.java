package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.session.LocalLakehouse;
import io.cdcmedallion.session.Sessions;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end, in process: each command starts and stops its own session on the same
 * lakehouse directory, as two runs of {@code ./medallion} would.
 */
class CliTest {
  @TempDir Path dir;

  @AfterEach
  void clearSessions() {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private String lakehouse() {
    return dir.resolve("lakehouse").toString();
  }

  @Test
  void generateThenRunThenQueryThenAnIncrementalRunAfterAnAppend() throws Exception {
    CliRun generate = CliRun.of("generate", "--lakehouse", lakehouse(), "--seed", "7");
    assertThat(generate.exitCode()).as(generate.err()).isZero();
    assertThat(generate.out()).contains("[generate]").contains("lb_orders_history");
    assertThat(generate.out().lines())
        .as("a start line per entity")
        .contains(
            "[generate] customers    started -> main.bronze.lb_customers_history",
            "[generate] order_items  started -> main.bronze.lb_order_items_history");

    CliRun run = CliRun.of("run", "--lakehouse", lakehouse());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("[silver]")
        // The generator writes each bronze table in two commits: versions 0 and 1.
        .contains("(cookbook shape, bronze v1)")
        .contains("main.silver.silver_order_items")
        .contains("[silver]  orders       started -> main.silver.silver_orders")
        .contains("[gold]")
        .contains("main.gold.gold_daily_order_summary")
        // The sample config's expectations on orders, counted in the run's progress lines.
        .containsPattern(
            "\\[quality\\] orders +non_negative_total \\(drop\\) 0 failed, known_status \\(fail\\) 0"
                + " failed, total_below_2000 \\(warn\\) [1-9][0-9,]* failed");

    CliRun status = CliRun.of("status", "--lakehouse", lakehouse(), "--limit", "8");
    assertThat(status.exitCode()).as(status.err()).isZero();
    List<String> statusLines = status.out().lines().toList();
    assertThat(statusLines.get(0))
        .startsWith("run_id")
        .contains("| command | step   | target ")
        .contains("| rows_in | rows_out | rows_quarantined | expectations")
        .endsWith("| status    | error");
    assertThat(statusLines).hasSize(11).last().isEqualTo("(8 rows)");
    assertThat(statusLines.subList(2, 10))
        .allMatch(line -> line.contains("| run     | ") && line.contains("| succeeded |"));
    assertThat(String.join("\n", statusLines))
        .containsPattern("\\| silver +\\| orders .*total_below_2000 warn [1-9][0-9]* failed");

    // An expectation over a column orders does not have: validate --tables finds it at its line.
    Path config = dir.resolve("pipeline.yml");
    Files.writeString(
        config,
        "entities:\n"
            + "  - name: orders\n"
            + "    keys: [order_id]\n"
            + "    expectations:\n"
            + "      - {name: positive_amount, expr: amount > 0}\n");
    CliRun offline = CliRun.of("validate", "--config", config.toString());
    assertThat(offline.exitCode()).as(offline.err()).isZero();
    CliRun validate =
        CliRun.of(
            "validate", "--tables", "--lakehouse", lakehouse(), "--config", config.toString());
    assertThat(validate.exitCode()).isEqualTo(2);
    assertThat(validate.err().strip().lines()).hasSize(1);
    assertThat(validate.err())
        .startsWith(
            "error: "
                + config
                + ":5: expectation 'positive_amount' (amount > 0) cannot be checked on"
                + " main.bronze.lb_orders_history: [UNRESOLVED_COLUMN.WITH_SUGGESTION]");

    CliRun query =
        CliRun.of(
            "query",
            "--lakehouse",
            lakehouse(),
            "--format",
            "csv",
            "SELECT * FROM main.gold.gold_daily_order_summary ORDER BY order_date DESC LIMIT 5");
    assertThat(query.exitCode()).as(query.err()).isZero();
    List<String> lines = query.out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("order_date,status,order_count,total_revenue");
    assertThat(lines.get(1)).matches("\\d{4}-\\d{2}-\\d{2},[a-z]+,\\d+,\\d+\\.\\d{2}");

    anIncrementalRunAfterAnAppendReadsOnlyTheNewRowsAndEqualsAFullRefresh();
  }

  /**
   * After {@code generate --append}, {@code silver --mode incremental} reads exactly the appended
   * rows (its progress lines say how many) and leaves every silver table equal to a full refresh of
   * the same bronze. Part of the test above: it needs the silver tables that test's run wrote.
   */
  private void anIncrementalRunAfterAnAppendReadsOnlyTheNewRowsAndEqualsAFullRefresh() {
    CliRun append = CliRun.of("generate", "--lakehouse", lakehouse(), "--append");
    assertThat(append.exitCode()).as(append.err()).isZero();
    long appended = sumOfFirstGroups(GENERATED_ROWS, append.out());
    assertThat(appended).as("rows generate --append reports:\n" + append.out()).isPositive();

    CliRun incremental = CliRun.of("silver", "--lakehouse", lakehouse(), "--mode", "incremental");
    assertThat(incremental.exitCode()).as(incremental.err()).isZero();
    assertThat(sumOfFirstGroups(INCREMENTAL_ROWS_READ, incremental.out()))
        .as("rows the incremental run read, over its entities:\n" + incremental.out())
        .isEqualTo(appended);

    // Silver as the incremental run left it, against a full refresh of the same bronze.
    Map<String, Long> incrementalVersions = new LinkedHashMap<>();
    withSession(
        spark -> {
          for (String entity : List.of("customers", "products", "orders", "order_items")) {
            String table = "main.silver.silver_" + entity;
            incrementalVersions.put(
                table, DeltaTable.forName(spark, table).history(1).head().getLong(0));
          }
        });
    CliRun full = CliRun.of("silver", "--lakehouse", lakehouse(), "--mode", "full");
    assertThat(full.exitCode()).as(full.err()).isZero();
    String differingRows =
        incrementalVersions.entrySet().stream()
            .map(
                table -> {
                  String now = "SELECT * FROM " + table.getKey();
                  String then = now + " VERSION AS OF " + table.getValue();
                  return String.format(
                      "SELECT '%s' AS silver_table, (SELECT count(*) FROM (%s EXCEPT ALL %s))"
                          + " AS only_incremental, (SELECT count(*) FROM (%s EXCEPT ALL %s))"
                          + " AS only_full_refresh, (SELECT count(*) FROM %s) AS full_refresh_rows",
                      table.getKey(), then, now, now, then, table.getKey());
                })
            .collect(Collectors.joining(" UNION ALL "));
    CliRun diff = CliRun.of("query", "--lakehouse", lakehouse(), "--format", "csv", differingRows);
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out().lines().skip(1).toList())
        .as("rows that differ between incremental silver and a full refresh")
        .hasSize(4)
        .allMatch(line -> line.matches("main\\.silver\\.silver_[a-z_]+,0,0,[1-9][0-9]*"));
  }

  private static final Pattern GENERATED_ROWS =
      Pattern.compile("^\\[generate\\] ([0-9,]+) rows in ");
  private static final Pattern INCREMENTAL_ROWS_READ =
      Pattern.compile(" incremental: .* ([0-9,]+) rows read -> ");

  /** The sum of the first group of every line the pattern finds, thousands separators removed. */
  private static long sumOfFirstGroups(Pattern pattern, String output) {
    long total = 0;
    for (String line : output.lines().toList()) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        total += Long.parseLong(m.group(1).replace(",", ""));
      }
    }
    return total;
  }

  /** Opens the lakehouse between two commands, as the CLI does, and stops it again. */
  private void withSession(Consumer<SparkSession> work) {
    SparkSession spark =
        Sessions.local(new LocalLakehouse(dir.resolve("lakehouse"), "main", "local[2]", 2));
    try {
      work.accept(spark);
    } finally {
      spark.stop();
      clearSessions();
    }
  }

  @Test
  void queryPrintsJsonLinesAndAlignedTables() {
    CliRun json =
        CliRun.of(
            "query",
            "--lakehouse",
            lakehouse(),
            "--format",
            "json",
            "SELECT 1 AS id, 'a,b' AS name, CAST(NULL AS STRING) AS note");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out().strip()).isEqualTo("{\"id\":1,\"name\":\"a,b\",\"note\":null}");

    CliRun csv =
        CliRun.of(
            "query",
            "--lakehouse",
            lakehouse(),
            "--format",
            "csv",
            "SELECT 1 AS id, 'a,b' AS name, CAST(NULL AS STRING) AS note");
    assertThat(csv.out().lines().toList()).containsExactly("id,name,note", "1,\"a,b\",");

    CliRun table =
        CliRun.of("query", "--lakehouse", lakehouse(), "SELECT id, id * 10 AS ten FROM range(3)");
    assertThat(table.out().lines().toList())
        .containsExactly("id | ten", "---+----", "0  | 0", "1  | 10", "2  | 20", "(3 rows)");
  }

  @Test
  void invalidConfigFailsWithOneLineNamingFileLineAndField() throws Exception {
    Path config = dir.resolve("bad.yml");
    Files.writeString(config, "catalog: main\nentities:\n  - name: orders\n    kees: [order_id]\n");

    CliRun run = CliRun.of("validate", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith("error: " + config + ":4: entities[0].kees is not a known field");
  }

  @Test
  void validateReportsTheSamplePipeline() {
    CliRun run = CliRun.of("validate");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("entity order_items  keys order_id, line_no")
        .contains("gold_revenue_by_region")
        .contains("expect orders.non_negative_total")
        .contains("is valid: 4 entities, 4 gold tables");
  }

  @Test
  void unknownEntityAndMissingTablesFailWithAClearMessage() {
    CliRun unknown = CliRun.of("silver", "--lakehouse", lakehouse(), "--entity", "invoices");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().strip())
        .isEqualTo(
            "error: No entity 'invoices' in classpath:cdc-medallion/shop-pipeline.yml. Configured entities: customers, products, orders, order_items. Pass one of them to --entity or add it to the config.");

    CliRun noRuns = CliRun.of("status", "--lakehouse", lakehouse(), "--format", "json");
    assertThat(noRuns.exitCode()).as(noRuns.err()).isZero();
    assertThat(noRuns.out()).isEmpty();
    assertThat(noRuns.err().strip())
        .isEqualTo(
            "No runs logged yet: main.gold._medallion_runs does not exist. Run ./medallion run (or demo) first.");

    CliRun missing = CliRun.of("silver", "--lakehouse", lakehouse(), "--entity", "orders");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .contains(
            "Bronze table main.bronze.lb_orders_history for entity 'orders' does not exist. Point"
                + " catalog/schemas.bronze in classpath:cdc-medallion/shop-pipeline.yml at your"
                + " Lakehouse Sync tables, or write sample history first (the generate command).");

    // The failed step is in the run log.
    CliRun failed = CliRun.of("status", "--lakehouse", lakehouse(), "--format", "json");
    assertThat(failed.exitCode()).as(failed.err()).isZero();
    assertThat(failed.out().strip())
        .matches(
            "\\{\"run_id\":\"[0-9a-f-]{36}\",\"command\":\"silver\",\"step\":\"silver\","
                + "\"target\":\"orders\",\"table_name\":\"main.silver.silver_orders\","
                + "\"mode\":\"full_refresh\",\"started_at\":\"[^\"]+\",\"ended_at\":\"[^\"]+\","
                + "\"rows_in\":0,\"rows_out\":0,\"rows_quarantined\":0,\"expectations\":\\[\\],"
                + "\"status\":\"failed\",\"error\":\"Bronze table main.bronze.lb_orders_history"
                + " for entity 'orders' does not exist\\. .*\"}");

    CliRun query = CliRun.of("query", "--lakehouse", lakehouse(), "SELECT * FROM main.gold.nope");
    assertThat(query.exitCode()).isEqualTo(1);
    assertThat(query.err().strip().lines()).hasSize(1);
    assertThat(query.err()).contains("TABLE_OR_VIEW_NOT_FOUND").contains("--verbose");
  }

  @Test
  void aFailureWhileComputingRowsIsOneLineNamingTheCause() {
    CliRun query =
        CliRun.of(
            "query", "--lakehouse", lakehouse(), "SELECT raise_error('order 7 is broken') AS x");

    assertThat(query.exitCode()).isEqualTo(1);
    assertThat(query.err().strip().lines()).hasSize(1);
    assertThat(query.err()).startsWith("error: ").contains("order 7 is broken");

    CliRun verbose =
        CliRun.of(
            "query",
            "--lakehouse",
            lakehouse(),
            "--verbose",
            "SELECT raise_error('order 7 is broken') AS x");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.err().lines().count()).isGreaterThan(5);
    assertThat(verbose.err()).contains("\tat org.apache.spark");
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    CliRun format = CliRun.of("query", "--lakehouse", lakehouse(), "--format", "xml", "SELECT 1");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err().strip())
        .isEqualTo("error: Invalid --format 'xml'. Use table, csv or json.");

    CliRun shape = CliRun.of("generate", "--lakehouse", lakehouse(), "--shape", "debezium");
    assertThat(shape.exitCode()).isEqualTo(2);
    assertThat(shape.err().strip())
        .isEqualTo("error: Invalid --shape 'debezium'. Use cookbook or lakebase.");
  }

  @Test
  void onlyACommandThatStartsSparkCreatesTheLaunchersMarker() throws Exception {
    Path marker = dir.resolve("started-spark");
    System.setProperty(JobContext.SPARK_STARTED_MARKER, marker.toString());
    try {
      CliRun help = CliRun.of("--help");
      CliRun validate = CliRun.of("validate");
      CliRun usage = CliRun.of("query", "--lakehouse", lakehouse(), "--format", "xml", "SELECT 1");
      assertThat(List.of(help.exitCode(), validate.exitCode(), usage.exitCode()))
          .containsExactly(0, 0, 2);
      assertThat(marker).as("no Spark session yet").doesNotExist();

      CliRun query = CliRun.of("query", "--lakehouse", lakehouse(), "SELECT 1 AS one");
      assertThat(query.exitCode()).as(query.err()).isZero();
      assertThat(marker).as("a local session started").exists();
    } finally {
      System.clearProperty(JobContext.SPARK_STARTED_MARKER);
    }
  }

  @Test
  void helpListsEveryCommand() {
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("demo", "generate", "silver", "gold", "run", "query", "status", "validate");
  }

  @Test
  void helpShowsEveryCommandWithAWholeOneLineSummary() {
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    Map<String, List<String>> summaries = commandSummaries(help.out());
    assertThat(summaries.keySet())
        .containsExactly(
            "demo",
            "generate",
            "silver",
            "gold",
            "run",
            "query",
            "status",
            "validate",
            "preflight",
            "sync",
            "publish");
    // One line each, and a whole sentence, not the first line of a wrapped paragraph.
    assertThat(summaries)
        .allSatisfy(
            (command, lines) -> {
              assertThat(lines).hasSize(1);
              assertThat(lines.get(0)).endsWith(".");
            });
    assertThat(summaries.get("generate"))
        .containsExactly("Write sample shop CDC history into the bronze tables.");
    assertThat(summaries.get("sync"))
        .containsExactly("Replicate Postgres into bronze (local Lakehouse Sync stand-in).");
  }

  @Test
  void versionPrintsTheVersionOfTheBuild() throws Exception {
    String pom = Files.readString(ProjectFiles.root().resolve("pom.xml"));
    Matcher parent =
        Pattern.compile(
                "<artifactId>cdc-medallion-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(parent.find()).as("the parent POM's version").isTrue();

    CliRun version = CliRun.of("--version");

    assertThat(version.exitCode()).isZero();
    assertThat(version.out().strip()).isEqualTo("cdc-medallion " + parent.group(1));
  }

  /** The "Commands:" list of a help text: each command's summary, line by line. */
  private static Map<String, List<String>> commandSummaries(String help) {
    Map<String, List<String>> summaries = new LinkedHashMap<>();
    List<String> current = null;
    boolean inCommands = false;
    for (String line : help.split("\\R")) {
      if (line.startsWith("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  \\S.*")) {
        String[] nameAndSummary = line.strip().split("\\s+", 2);
        current = new ArrayList<>();
        current.add(nameAndSummary.length > 1 ? nameAndSummary[1] : "");
        summaries.put(nameAndSummary[0], current);
      } else if (inCommands && current != null && line.matches("\\s{3,}\\S.*")) {
        current.add(line.strip());
      } else if (inCommands && !line.isBlank()) {
        inCommands = false;
      }
    }
    return summaries;
  }
}
