package io.cdcmedallion.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.gold.BuiltinGoldTables;
import io.cdcmedallion.gold.GoldJob;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineListener;
import io.cdcmedallion.quality.Expectations;
import io.cdcmedallion.quality.QualityReport;
import io.cdcmedallion.quality.Quarantine;
import io.cdcmedallion.silver.internal.FaultPoint;
import io.cdcmedallion.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fault-and-abuse suite, library half (the command-line half is {@code AbuseTest} in jobs):
 * crashes at every fault point, lost, damaged and restored checkpoints, malformed bronze rows, and
 * after each the promise of docs/guarantees.md: every bronze row is in silver or in the quarantine,
 * and no run quarantines a row twice.
 *
 * <p>Every entity has the bronze columns {@code id INT, status STRING, _change_type STRING, _lsn
 * STRING}: text LSNs let a row carry any malformed value. One Spark session for the class.
 */
@Tag("fault-and-abuse")
class FaultInjectionTest extends SparkTestBase {
  private static final String COLUMNS = "id, status, _change_type, _lsn";

  private static PipelineConfig config(String entity, String extra) {
    return new ConfigLoader(BuiltinGoldTables.names())
        .parse(
            "entities:\n  - name: "
                + entity
                + "\n    keys: [id]\n    on_invalid_rows: quarantine\n"
                + extra,
            "test.yml",
            path -> Optional.empty());
  }

  private static PipelineConfig config(String entity) {
    return config(entity, "");
  }

  private static TableName bronze(PipelineConfig config) {
    return config.historyTable(config.entities().get(0));
  }

  private static TableName silver(PipelineConfig config) {
    return config.silverTable(config.entities().get(0));
  }

  private static TableName quarantine(PipelineConfig config) {
    return config.quarantineTable(config.entities().get(0));
  }

  /** Appends rows given as SQL tuples, e.g. {@code (1, 'new', 'insert', '10')}. */
  private static void append(PipelineConfig config, String... tuples) {
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES "
                + String.join(", ", tuples)
                + " AS t(id, status, _change_type, _lsn)");
    Tables.append(
        spark,
        rows.selectExpr(
            "CAST(id AS INT) AS id", "status", "_change_type", "CAST(_lsn AS STRING) AS _lsn"),
        bronze(config));
  }

  private static IncrementalOptions checkpointsIn(Path root) {
    return new IncrementalOptions(
        false, Duration.ofSeconds(30), Optional.of(root.toString()), Duration.ofDays(7));
  }

  /**
   * Starts the pipeline's incremental silver in continuous mode (a trigger every 200 ms) on a
   * thread of its own, which it returns; the run's failure, if any, is added to {@code thrown}.
   */
  private static Thread continuously(
      MedallionPipeline pipeline, Path checkpoints, List<RuntimeException> thrown) {
    IncrementalOptions options = checkpointsIn(checkpoints).continuousEvery(Duration.ofMillis(200));
    Thread runner =
        new Thread(
            () -> {
              try {
                pipeline.silverIncremental(Optional.empty(), options, false);
              } catch (RuntimeException e) {
                thrown.add(e);
              }
            });
    runner.start();
    return runner;
  }

  private static MedallionPipeline incremental(PipelineConfig config, IncrementalOptions options) {
    MedallionPipeline pipeline =
        MedallionPipeline.logged(spark, config, PipelineListener.none(), "silver");
    pipeline.silverIncremental(Optional.empty(), options, false);
    return pipeline;
  }

  /**
   * The promise after any fault: the bronze rows the contract rejects are in the quarantine, none
   * twice under one run id, and silver is what a full refresh computes from the valid rows.
   */
  private static void assertEveryBronzeRowInSilverOrQuarantineOnce(PipelineConfig config) {
    EntityConfig entity = config.entities().get(0);
    BronzeHistory history = BronzeHistory.read(spark, config, entity);
    Dataset<Row> invalid =
        SilverExpectations.of(config, entity, history)
            .apply(history.rows())
            .quarantined()
            .selectExpr(COLUMNS.split(", "));
    Dataset<Row> quarantined =
        spark.table(quarantine(config).quoted()).selectExpr(COLUMNS.split(", "));
    assertThat(invalid.exceptAll(quarantined.distinct()).collectAsList())
        .as("rejected bronze rows missing from the quarantine")
        .isEmpty();
    assertThat(
            rows(
                "SELECT "
                    + COLUMNS
                    + ", "
                    + Quarantine.RUN_ID_COLUMN
                    + ", count(*) FROM "
                    + quarantine(config).quoted()
                    + " GROUP BY ALL HAVING count(*) > 1"))
        .as("rows quarantined twice by one run")
        .isEmpty();
    assertDatasetEquals(
        CurrentState.currentRows(
            history.layout(), CurrentState.latestEvents(history, history.validRows())),
        spark.table(silver(config).quoted()));
  }

  /** The run log's row of one run's incremental step: {@code [rows_in,rows_quarantined]}. */
  private static List<String> incrementalCounts(String runId) {
    return rows(
            "SELECT rows_in, rows_quarantined FROM main.gold._medallion_runs"
                + " WHERE mode = 'incremental' AND run_id = '"
                + runId
                + "'")
        .stream()
        .map(Row::toString)
        .toList();
  }

  /** The quarantined rows of one run, as {@code [id,status]}. */
  private static List<String> quarantinedBy(PipelineConfig config, String runId) {
    return rows(
            "SELECT id, status FROM "
                + quarantine(config).quoted()
                + " WHERE "
                + Quarantine.RUN_ID_COLUMN
                + " = '"
                + runId
                + "' ORDER BY id")
        .stream()
        .map(Row::toString)
        .toList();
  }

  private static List<String> quarantined(PipelineConfig config) {
    return rows(
            "SELECT id, _lsn, "
                + Expectations.FAILED_COLUMN
                + " FROM "
                + quarantine(config).quoted()
                + " ORDER BY status")
        .stream()
        .map(Row::toString)
        .toList();
  }

  private static Path checkpointOf(Path root, PipelineConfig config) throws IOException {
    try (Stream<Path> generations = Files.list(root.resolve(silver(config).toString()))) {
      return generations.findFirst().orElseThrow();
    }
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  // ------------------------------------------------------------------ malformed bronze rows

  /**
   * Each malformed row, its status naming why, and the contract check that sets it aside. Text LSNs
   * must be whole, non-negative numbers or pg_lsn text: {@code -5} and {@code 1.5} are not rounded
   * into place.
   */
  private static final String[][] MALFORMED = {
    {"(2, 'neg_lsn', 'insert', '-5')", "[2,-5,ArraySeq(contract_null_sequence)]"},
    {"(3, 'frac_lsn', 'insert', '1.5')", "[3,1.5,ArraySeq(contract_null_sequence)]"},
    {"(4, 'null_lsn', 'insert', NULL)", "[4,null,ArraySeq(contract_null_sequence)]"},
    {"(5, 'text_lsn', 'insert', 'x/1')", "[5,x/1,ArraySeq(contract_null_sequence)]"},
    {"(6, 'plus_lsn', 'insert', '+7')", "[6,+7,ArraySeq(contract_null_sequence)]"},
    {"(NULL, 'null_key', 'insert', '11')", "[null,11,ArraySeq(contract_null_key)]"},
    {"(7, 'unknown_type', 'zzz', '12')", "[7,12,ArraySeq(contract_unknown_change_type)]"},
    {"(8, 'null_type', NULL, '13')", "[8,13,ArraySeq(contract_unknown_change_type)]"},
    {
      "(NULL, 'all_bad', 'upsert', '-1')",
      "[null,-1,ArraySeq(contract_null_key, contract_null_sequence, contract_unknown_change_type)]"
    },
  };

  private static String[] malformedRows() {
    return Stream.of(MALFORMED).map(m -> m[0]).toArray(String[]::new);
  }

  private static List<String> malformedExpected() {
    return Stream.of(MALFORMED).map(m -> m[1]).sorted().toList();
  }

  @Test
  void malformedRowsOfAFullRefreshAreQuarantinedOnceWithTheirReason() {
    PipelineConfig config = config("malformed_full");
    append(config, "(1, 'valid', 'insert', '10')", "(9, 'valid_pg', 'insert', '0/1A')");
    append(config, malformedRows());

    new SilverJob(spark, config).run(config.entities().get(0));

    assertThat(quarantined(config).stream().sorted().toList())
        .containsExactlyElementsOf(malformedExpected());
    assertThat(rows("SELECT id, status FROM " + silver(config).quoted() + " ORDER BY id"))
        .extracting(Row::toString)
        .containsExactly("[1,valid]", "[9,valid_pg]");
    assertEveryBronzeRowInSilverOrQuarantineOnce(config);
  }

  @Test
  void malformedRowsOfAnIncrementalBatchAreQuarantinedOnceWithTheirReason(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) {
    PipelineConfig config = config("malformed_incr");
    append(config, "(1, 'valid', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    append(config, malformedRows());
    append(config, "(9, 'valid_pg', 'insert', '0/1A')");

    incremental(config, checkpointsIn(checkpoints));

    assertThat(quarantined(config).stream().sorted().toList())
        .containsExactlyElementsOf(malformedExpected());
    assertEveryBronzeRowInSilverOrQuarantineOnce(config);
  }

  // ------------------------------------------------------------------ quarantine tables

  @Test
  void quarantineTablesExistEmptyFromTheFirstRunOfEverythingThatCanQuarantine(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) {
    PipelineConfig full = config("clean_full");
    append(full, "(1, 'ok', 'insert', '10')");
    PipelineConfig incr = config("clean_incr");
    append(incr, "(1, 'ok', 'insert', '10')");
    PipelineConfig withGold =
        new ConfigLoader(BuiltinGoldTables.names())
            .parse(
                "entities:\n  - name: clean_plain\n    keys: [id]\n"
                    + "    expectations:\n      - {name: has_status, expr: status IS NOT NULL,"
                    + " action: drop}\n"
                    + "gold:\n  - name: gold_clean\n    sql: gold_clean.sql\n"
                    + "    expectations:\n      - {name: positive, expr: id > 0, action: drop}\n",
                "test.yml",
                path -> Optional.of("SELECT id, status FROM silver_clean_plain"));
    EntityConfig plain = withGold.entities().get(0);
    append(withGold, "(1, 'ok', 'insert', '10')");

    new SilverJob(spark, full).run(full.entities().get(0));
    incremental(incr, checkpointsIn(checkpoints));
    new SilverJob(spark, withGold).run(plain);
    new GoldJob(spark, withGold).run(withGold.gold().get(0));

    for (TableName table :
        List.of(
            quarantine(full),
            quarantine(incr),
            withGold.quarantineTable(plain),
            withGold.goldQuarantineTable("gold_clean"))) {
      assertThat(Tables.exists(spark, table)).as("%s exists", table).isTrue();
      assertThat(Tables.count(spark, table)).as("%s is empty", table).isZero();
      assertThat(spark.table(table.quoted()).columns())
          .as("%s has the quarantine's columns", table)
          .contains(
              "id", Expectations.FAILED_COLUMN, Quarantine.RUN_ID_COLUMN, Quarantine.TIME_COLUMN);
    }
  }

  // ------------------------------------------------------------------ crash points

  @Test
  void aCrashAtEveryFaultPointLosesNoRowAndQuarantinesNoneTwice(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) {
    PipelineConfig config = config("crashes");
    append(config, "(1, 'a', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    int lsn = 20;
    for (FaultPoint point : FaultPoint.values()) {
      append(
          config,
          "(1, 'at_" + point + "', 'update_postimage', '" + lsn + "')",
          "(" + lsn + ", 'bad_" + point + "', 'zzz', '" + (lsn + 1) + "')");
      IncrementalSilver.failOnceAt(point);
      assertThatThrownBy(() -> incremental(config, checkpointsIn(checkpoints)))
          .hasMessageContaining("injected fault at " + point);

      incremental(config, checkpointsIn(checkpoints));

      assertEveryBronzeRowInSilverOrQuarantineOnce(config);
      lsn += 10;
    }
    assertThat(Tables.count(spark, quarantine(config))).isEqualTo(FaultPoint.values().length);
  }

  // ------------------------------------------------------------------ lost, restored, damaged

  @Test
  void aLostCheckpointLosesNoQuarantinedRow(@org.junit.jupiter.api.io.TempDir Path checkpoints)
      throws IOException {
    PipelineConfig config = config("lost");
    append(config, "(1, 'a', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    // Batch 0 of the first checkpoint quarantines a row.
    append(config, "(2, 'b', 'insert', '11')", "(4, 'bad_before', 'zzz', '11')");
    incremental(config, checkpointsIn(checkpoints));
    deleteTree(checkpointOf(checkpoints, config));

    // Batch 0 of the new checkpoint: bronze again since the full refresh, and a new bad row.
    append(config, "(3, 'zzz_row', 'zzz', '12')");
    String runId = incremental(config, checkpointsIn(checkpoints)).run().runId();

    assertThat(
            rows(
                "SELECT id, status FROM "
                    + quarantine(config).quoted()
                    + " WHERE _run_id = '"
                    + runId
                    + "' ORDER BY id"))
        .as("the rows the run counted as quarantined are there, under the run's id")
        .extracting(Row::toString)
        .containsExactly("[3,zzz_row]", "[4,bad_before]");
    assertEveryBronzeRowInSilverOrQuarantineOnce(config);
  }

  @Test
  void aRestoredOlderCheckpointReplaysWithoutQuarantiningTwice(
      @org.junit.jupiter.api.io.TempDir Path checkpoints,
      @org.junit.jupiter.api.io.TempDir Path backup)
      throws IOException {
    PipelineConfig config = config("restored");
    append(config, "(1, 'a', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    append(config, "(2, 'b', 'insert', '11')");
    incremental(config, checkpointsIn(checkpoints));
    Path checkpoint = checkpointOf(checkpoints, config);
    copyTree(checkpoint, backup);
    append(config, "(1, 'c', 'update_postimage', '20')", "(3, 'bad', 'zzz', '21')");
    incremental(config, checkpointsIn(checkpoints));

    // A backup of the checkpoint put back: the last batch is read and applied again.
    deleteTree(checkpoint);
    copyTree(backup, checkpoint);
    incremental(config, checkpointsIn(checkpoints));

    assertThat(Tables.count(spark, quarantine(config))).isEqualTo(1);
    assertEveryBronzeRowInSilverOrQuarantineOnce(config);
  }

  @Test
  void aDamagedCheckpointNamesTheEntityAndTheRecoveryAndTheOtherEntitiesStillRun(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) throws IOException {
    PipelineConfig config =
        new ConfigLoader(BuiltinGoldTables.names())
            .parse(
                "entities:\n  - {name: damaged_a, keys: [id]}\n  - {name: damaged_b, keys: [id]}\n",
                "test.yml",
                path -> Optional.empty());
    PipelineConfig a = config("damaged_a");
    PipelineConfig b = config("damaged_b");
    for (PipelineConfig one : List.of(a, b)) {
      append(one, "(1, 'a', 'insert', '10')");
    }
    incremental(config, checkpointsIn(checkpoints));
    for (PipelineConfig one : List.of(a, b)) {
      append(one, "(2, 'b', 'insert', '11')");
    }
    incremental(config, checkpointsIn(checkpoints));
    Path offsets = checkpointOf(checkpoints, a).resolve("offsets/0");
    Files.writeString(offsets, "v1\n{\"batchWatermarkMs\":0,");
    for (PipelineConfig one : List.of(a, b)) {
      append(one, "(3, 'c', 'insert', '12')");
    }

    assertThatThrownBy(() -> incremental(config, checkpointsIn(checkpoints)))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith("The incremental checkpoint of entity 'damaged_a' at ")
        .hasMessageContaining("is damaged (")
        .hasMessageEndingWith(
            "Rerun silver with --mode incremental --full-refresh --entity damaged_a to rebuild"
                + " it from all history and start a new checkpoint.")
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
    assertThat(rows("SELECT id FROM " + silver(b).quoted() + " ORDER BY id"))
        .as("the other entity still ran")
        .extracting(Row::toString)
        .containsExactly("[1]", "[2]", "[3]");

    MedallionPipeline.logged(spark, config, PipelineListener.none(), "silver")
        .silverIncremental(Optional.of("damaged_a"), checkpointsIn(checkpoints), true);
    assertThat(rows("SELECT id FROM " + silver(a).quoted() + " ORDER BY id"))
        .extracting(Row::toString)
        .containsExactly("[1]", "[2]", "[3]");
  }

  @Test
  void inContinuousModeOneEntitysFailureDoesNotStopTheOthers(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) throws Exception {
    PipelineConfig config =
        new ConfigLoader(BuiltinGoldTables.names())
            .parse(
                "entities:\n  - {name: cont_bad, keys: [id]}\n  - {name: cont_ok, keys: [id]}\n",
                "test.yml",
                path -> Optional.empty());
    PipelineConfig bad = config("cont_bad");
    PipelineConfig ok = config("cont_ok");
    for (PipelineConfig one : List.of(bad, ok)) {
      append(one, "(1, 'a', 'insert', '10')", "(2, 'b', 'insert', '11')");
    }
    incremental(config, checkpointsIn(checkpoints));
    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> applied = java.util.Collections.synchronizedList(new ArrayList<>());
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void stepFailed(String step, String name, RuntimeException error) {
            failed.add(name + ": " + error.getMessage());
          }

          @Override
          public void silverBatchDone(SilverBatch batch) {
            applied.add(batch.entity());
          }
        };
    MedallionPipeline pipeline = MedallionPipeline.logged(spark, config, listener, "silver");
    List<RuntimeException> thrown = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread runner = continuously(pipeline, checkpoints, thrown);
    // A row that breaks the contract stops its entity (on_invalid_rows: fail, the default).
    append(bad, "(3, 'c', 'zzz', '12')");
    append(ok, "(3, 'c', 'insert', '12')");
    for (int waited = 0; failed.isEmpty() && runner.isAlive() && waited < 1200; waited++) {
      Thread.sleep(100);
    }
    // Appended after the damaged entity failed: the other one still applies it.
    append(ok, "(4, 'd', 'insert', '13')");
    for (int waited = 0;
        Tables.count(spark, silver(ok)) < 4 && runner.isAlive() && waited < 600;
        waited++) {
      Thread.sleep(200);
    }
    for (var query : spark.streams().active()) {
      query.stop();
    }
    runner.join(Duration.ofMinutes(2).toMillis());

    assertThat(rows("SELECT id FROM " + silver(ok).quoted() + " ORDER BY id"))
        .as("the other entity went on running")
        .extracting(Row::toString)
        .containsExactly("[1]", "[2]", "[3]", "[4]");
    assertThat(failed)
        .as("one line for the failed entity")
        .singleElement()
        .asString()
        .startsWith("cont_bad: Table main.bronze.lb_cont_bad_history has 1 row that breaks")
        .contains("set 'on_invalid_rows: quarantine' for entity 'cont_bad'");
    assertThat(thrown)
        .as("the run still fails, with the entity's error")
        .singleElement()
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("Table main.bronze.lb_cont_bad_history has 1 row that breaks");
    assertThat(
            rows(
                "SELECT target, status FROM main.gold._medallion_runs WHERE run_id = '"
                    + pipeline.run().runId()
                    + "' ORDER BY target"))
        .extracting(Row::toString)
        .as("the run log: a failed row for the failed entity, a succeeded one for the other")
        .containsExactly("[cont_bad,failed]", "[cont_ok,succeeded]");
  }

  @Test
  void anEmptyCommitFileIsADamagedCheckpointToo(@org.junit.jupiter.api.io.TempDir Path checkpoints)
      throws IOException {
    PipelineConfig config = config("empty_commit");
    append(config, "(1, 'a', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    append(config, "(2, 'b', 'insert', '11')");
    incremental(config, checkpointsIn(checkpoints));
    Files.writeString(checkpointOf(checkpoints, config).resolve("commits/0"), "");
    append(config, "(3, 'c', 'insert', '12')");

    assertThatThrownBy(() -> incremental(config, checkpointsIn(checkpoints)))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith("The incremental checkpoint of entity 'empty_commit' at ")
        .hasMessageContaining("--full-refresh --entity empty_commit");
  }

  // ------------------------------------------------------------------ counts

  @Test
  void aFullRefreshBeforeIncrementalReportsQualityOnceAndLogsEachStepsOwnCounts(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) {
    PipelineConfig config = config("counted");
    append(config, "(1, 'a', 'insert', '10')", "(2, 'bad', 'zzz', '11')");
    List<String> lines = new ArrayList<>();
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void qualityChecked(String name, TableName q, QualityReport report) {
            lines.add(name + " " + report.rowsIn() + " in, " + report.rowsQuarantined() + " out");
          }
        };
    MedallionPipeline pipeline = MedallionPipeline.logged(spark, config, listener, "silver");

    pipeline.silverIncremental(Optional.empty(), checkpointsIn(checkpoints), true);

    assertThat(lines).containsExactly("counted 2 in, 1 out");
    assertThat(
            rows(
                "SELECT mode, rows_in, rows_quarantined FROM main.gold._medallion_runs"
                    + " WHERE run_id = '"
                    + pipeline.run().runId()
                    + "' ORDER BY mode"))
        .extracting(Row::toString)
        .as("the incremental step after --full-refresh read nothing new")
        .containsExactly("[full_refresh,2,1]", "[incremental,0,0]");
  }

  @Test
  void rowsTheRebuildAfterABronzeSchemaChangeQuarantinesBelongToTheRunAndItsCounts(
      @org.junit.jupiter.api.io.TempDir Path checkpoints) throws Exception {
    PipelineConfig config = config("schema_change");
    append(config, "(1, 'a', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    // A running query stops when bronze gains a column (one that starts afterwards reads the new
    // schema from the start): run continuously, and add the column once a batch was applied.
    List<SilverBatch> batches = java.util.Collections.synchronizedList(new ArrayList<>());
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void silverBatchDone(SilverBatch batch) {
            batches.add(batch);
          }
        };
    MedallionPipeline pipeline = MedallionPipeline.logged(spark, config, listener, "silver");
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread runner = continuously(pipeline, checkpoints, failures);
    append(config, "(2, 'b', 'insert', '11')");
    for (int waited = 0; batches.isEmpty() && runner.isAlive() && waited < 1200; waited++) {
      Thread.sleep(100);
    }
    assertThat(batches).as("the continuous query applied the first change").hasSize(1);

    // One bronze commit adds the column and brings a malformed row.
    spark
        .sql(
            "SELECT * FROM VALUES (3, 'c', 'insert', '12', 'hi'), (4, 'bad', 'zzz', '13', NULL)"
                + " AS t(id, status, _change_type, _lsn, note)")
        .selectExpr("CAST(id AS INT) AS id", "status", "_change_type", "_lsn", "note")
        .write()
        .format("delta")
        .mode("append")
        .option("mergeSchema", "true")
        .saveAsTable(bronze(config).quoted());
    runner.join(Duration.ofMinutes(3).toMillis());
    if (runner.isAlive()) {
      for (var query : spark.streams().active()) {
        query.stop();
      }
      runner.join();
    }

    assertThat(failures).isEmpty();
    String runId = pipeline.run().runId();
    assertThat(quarantinedBy(config, runId))
        .as("the rebuild's quarantined row carries the run's id")
        .containsExactly("[4,bad]");
    assertThat(incrementalCounts(runId))
        .as("rows_in, rows_quarantined: 1 row in batch 0, then the rebuild's 4 with 1 set aside")
        .containsExactly("[5,1]");
    assertThat(rows("SELECT id, status, note FROM " + silver(config).quoted() + " ORDER BY id"))
        .extracting(Row::toString)
        .containsExactly("[1,a,null]", "[2,b,null]", "[3,c,hi]");
    assertEveryBronzeRowInSilverOrQuarantineOnce(config);
  }

  /**
   * What the Delta source throws when it asks for its query to be restarted (the metastore's schema
   * is older than the table's log); incremental silver restarts the query within the run.
   */
  private static final class RestartRequested extends RuntimeException implements SparkThrowable {
    RestartRequested() {
      super("the test asks for a restart of the query");
    }

    @Override
    public String getCondition() {
      return "DELTA_UNSUPPORTED_SCHEMA_DURING_READ";
    }

    // Abstract in the SparkThrowable of Databricks Connect (the -Pdbconnect build compiles these
    // tests too), a deprecated default in Spark 4.0's; no @Override so both compile.
    public String getErrorClass() {
      return getCondition();
    }
  }

  @Test
  void aBatchReplayedWithinOneRunIsCountedOnce(@org.junit.jupiter.api.io.TempDir Path checkpoints) {
    PipelineConfig config = config("replayed");
    append(config, "(1, 'a', 'insert', '10')");
    incremental(config, checkpointsIn(checkpoints));
    append(
        config,
        "(1, 'a2', 'update_postimage', '11')",
        "(2, 'b', 'insert', '12')",
        "(3, 'bad', 'zzz', '13')");
    List<Long> reportedBatches = new ArrayList<>();
    List<IncrementalResult> summaries = new ArrayList<>();
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void silverBatchDone(SilverBatch batch) {
            reportedBatches.add(batch.batchId());
            if (reportedBatches.size() == 1) {
              // After the batch was applied and counted, before Structured Streaming commits it:
              // the restarted query replays the batch in the same run.
              throw new RestartRequested();
            }
          }

          @Override
          public void silverIncrementalDone(IncrementalResult result) {
            summaries.add(result);
          }
        };
    MedallionPipeline pipeline = MedallionPipeline.logged(spark, config, listener, "silver");

    pipeline.silverIncremental(Optional.empty(), checkpointsIn(checkpoints), false);

    // The run succeeded although its first attempt at batch 0 failed: the query restarted and
    // replayed the batch. The replay is neither reported nor counted again.
    assertThat(reportedBatches).as("batch 0 reported once").containsExactly(0L);
    assertThat(summaries)
        .extracting(r -> r.batches() + " batch, " + r.rowsRead() + " read, " + r.upserted() + " up")
        .as("the summary line counts the 3 bronze rows once")
        .containsExactly("1 batch, 3 read, 2 up");
    assertThat(incrementalCounts(pipeline.run().runId()))
        .as("rows_in, rows_quarantined of the run: each bronze row once")
        .containsExactly("[3,1]");
    assertThat(quarantinedBy(config, pipeline.run().runId())).containsExactly("[3,bad]");
    assertEveryBronzeRowInSilverOrQuarantineOnce(config);
  }
}
