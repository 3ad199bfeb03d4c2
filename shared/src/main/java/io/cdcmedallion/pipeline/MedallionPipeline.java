package io.cdcmedallion.pipeline;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.gold.GoldJob;
import io.cdcmedallion.gold.GoldResult;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.quality.RunContext;
import io.cdcmedallion.quality.RunLog;
import io.cdcmedallion.silver.IncrementalOptions;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.IncrementalSilver;
import io.cdcmedallion.silver.SilverJob;
import io.cdcmedallion.silver.SilverResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the configured silver steps, then the gold steps. Entities are independent: their silver
 * steps run side by side ({@link ParallelSteps}), each to its end, and a failure of one fails the
 * run once the others have ended, before any gold step. Gold tables run side by side too, unless a
 * SQL gold table names another one: then one after another, in config order. Each table is written
 * in one commit, so every table is either fully rebuilt or untouched.
 */
public final class MedallionPipeline {
  private final SparkSession spark;
  private final PipelineConfig config;
  private final PipelineListener listener;
  private final RunContext run;
  private final Optional<RunLog> runLog;

  /** A pipeline that keeps no run log (for library use and tests). */
  public MedallionPipeline(SparkSession spark, PipelineConfig config, PipelineListener listener) {
    this(spark, config, listener, RunContext.start("api"), Optional.empty());
  }

  private MedallionPipeline(
      SparkSession spark,
      PipelineConfig config,
      PipelineListener listener,
      RunContext run,
      Optional<RunLog> runLog) {
    this.spark = spark;
    this.config = config;
    this.listener = listener;
    this.run = run;
    this.runLog = runLog;
  }

  /**
   * A pipeline whose every step, succeeded or failed, appends a row to the run log {@link
   * PipelineConfig#runLogTable()}.
   *
   * @param command what started the run, e.g. {@code run}; recorded in the log
   */
  public static MedallionPipeline logged(
      SparkSession spark, PipelineConfig config, PipelineListener listener, String command) {
    return new MedallionPipeline(
        spark,
        config,
        listener,
        RunContext.start(command),
        Optional.of(new RunLog(spark, config.runLogTable())));
  }

  /** The run: its id and the quality reports of the steps so far. */
  public RunContext run() {
    return run;
  }

  /** Rebuilds the silver table of one entity, or of every entity when {@code entity} is empty. */
  public List<SilverResult> silver(Optional<String> entity) {
    SilverJob job = new SilverJob(spark, config, run);
    List<EntityConfig> entities = entities(entity);
    return ParallelSteps.run(
        entities,
        runTogether(entities),
        e -> {
          listener.started("silver", e.name(), config.silverTable(e));
          return loggedStep(
              "silver",
              LoggedSteps.FULL_REFRESH,
              e.name(),
              config.silverTable(e),
              config.quarantineTable(e),
              () -> job.run(e),
              SilverResult::currentRows,
              listener::silverDone);
        },
        (e, failure) -> {
          // With one entity the run's own error says it all.
          if (entities.size() > 1) {
            listener.stepFailed("silver", e.name(), failure);
          }
        });
  }

  /**
   * True when the entities' steps can run at once: more than one, each writing its own silver
   * table, and {@code -Dcdcm.entitiesAtOnce} not 1. Their schemas are then created first, so that
   * concurrent steps never race to create one.
   */
  private boolean runTogether(List<EntityConfig> entities) {
    Set<String> targets = new HashSet<>();
    for (EntityConfig e : entities) {
      if (!targets.add(config.silverTable(e).toString())) {
        return false;
      }
    }
    if (entities.size() < 2 || ParallelSteps.maxAtOnce() < 2) {
      return false;
    }
    Set<String> schemas = new HashSet<>();
    for (EntityConfig e : entities) {
      for (TableName table : List.of(config.silverTable(e), config.quarantineTable(e))) {
        if (schemas.add(table.quotedSchema())) {
          Tables.ensureSchema(spark, table);
        }
      }
    }
    return true;
  }

  /**
   * Incremental silver of one entity, or of every entity when {@code entity} is empty; with {@code
   * fullRefresh} each entity is first rebuilt from all history, which also starts a new checkpoint.
   */
  public List<IncrementalResult> silverIncremental(
      Optional<String> entity, IncrementalOptions options, boolean fullRefresh) {
    List<EntityConfig> entities = entities(entity);
    if (fullRefresh) {
      silver(entity);
    }
    IncrementalSilver job =
        new IncrementalSilver(spark, config, options, listener::silverBatchDone, run);
    if (options.continuous()) {
      // One query per entity, all running until one stops: the run log gets a row per entity
      // when they end.
      for (EntityConfig en : entities) {
        listener.started("silver", en.name(), config.silverTable(en));
      }
      Instant started = Instant.now();
      Map<String, Integer> marks = new HashMap<>();
      for (EntityConfig en : entities) {
        String target = config.silverTable(en).toString();
        marks.put(target, run.mark(target));
      }
      // An entity whose query fails gets its line and its failed run-log row at once; the others
      // run on, and the run fails with the first error once they have stopped.
      List<RuntimeException> failures = new ArrayList<>();
      Set<String> logged = new HashSet<>();
      BiConsumer<EntityConfig, RuntimeException> logFailure =
          (en, failure) -> {
            TableName target = config.silverTable(en);
            steps()
                .logFailure(
                    "silver",
                    LoggedSteps.INCREMENTAL,
                    en.name(),
                    target,
                    started,
                    marks.get(target.toString()),
                    failure);
            logged.add(en.name());
          };
      List<IncrementalResult> results;
      try {
        results =
            job.runAll(
                entities,
                (en, failure) -> {
                  logFailure.accept(en, failure);
                  listener.stepFailed("silver", en.name(), failure);
                  failures.add(failure);
                });
      } catch (RuntimeException e) {
        // The run itself failed: every entity not logged yet gets a failed row with its error.
        for (EntityConfig en : entities) {
          if (!logged.contains(en.name())) {
            logFailure.accept(en, e);
          }
        }
        throw e;
      }
      for (IncrementalResult result : results) {
        steps()
            .logSuccess(
                "silver",
                LoggedSteps.INCREMENTAL,
                result.entity(),
                result.table(),
                started,
                marks.getOrDefault(result.table().toString(), 0),
                result.upserted());
        listener.silverIncrementalDone(result);
      }
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
      return results;
    }
    // One entity's damaged checkpoint or bad batch does not hold the others back; the run still
    // fails (with the first error) once they have run.
    return ParallelSteps.run(
        entities,
        runTogether(entities),
        e -> {
          listener.started("silver", e.name(), config.silverTable(e));
          return loggedStep(
              "silver",
              LoggedSteps.INCREMENTAL,
              e.name(),
              config.silverTable(e),
              config.quarantineTable(e),
              () -> job.run(e),
              IncrementalResult::upserted,
              listener::silverIncrementalDone);
        },
        (e, failure) -> listener.stepFailed("silver", e.name(), failure));
  }

  private List<EntityConfig> entities(Optional<String> entity) {
    return entity
        .map(
            name ->
                List.of(
                    config
                        .entity(name)
                        .orElseThrow(
                            () ->
                                Errors.unknownEntity(
                                    name,
                                    config.entities().stream().map(EntityConfig::name).toList(),
                                    config.source()))))
        .orElse(config.entities());
  }

  private LoggedSteps steps() {
    return new LoggedSteps(run, runLog);
  }

  /** Rebuilds one gold table, or every configured gold table when {@code table} is empty. */
  public List<GoldResult> gold(Optional<String> table) {
    List<GoldTableConfig> tables =
        table
            .map(
                name ->
                    List.of(
                        config
                            .goldTable(name)
                            .orElseThrow(
                                () ->
                                    Errors.unknownGoldTable(
                                        name,
                                        config.gold().stream().map(GoldTableConfig::name).toList(),
                                        config.source()))))
            .orElse(config.gold());
    GoldJob job = new GoldJob(spark, config, run);
    return ParallelSteps.run(
        tables,
        buildTogether(tables),
        t ->
            loggedStep(
                "gold",
                LoggedSteps.FULL_REFRESH,
                t.name(),
                config.goldTableName(t.name()),
                config.goldQuarantineTable(t.name()),
                () -> job.run(t),
                GoldResult::rows,
                listener::goldDone),
        (t, failure) -> {
          if (tables.size() > 1) {
            listener.stepFailed("gold", t.name(), failure);
          }
        });
  }

  /**
   * True when the gold tables can be built at once: more than one, {@code -Dcdcm.entitiesAtOnce}
   * not 1, and none reads another ({@link #readsAnother}). Their schemas are then created first, so
   * that concurrent builds never race to create one.
   */
  private boolean buildTogether(List<GoldTableConfig> tables) {
    if (tables.size() < 2 || ParallelSteps.maxAtOnce() < 2 || readsAnother(config.gold())) {
      return false;
    }
    Set<String> schemas = new HashSet<>();
    for (GoldTableConfig t : tables) {
      for (TableName table :
          List.of(config.goldTableName(t.name()), config.goldQuarantineTable(t.name()))) {
        if (schemas.add(table.quotedSchema())) {
          Tables.ensureSchema(spark, table);
        }
      }
    }
    return true;
  }

  /**
   * True when the SELECT of a SQL gold table names another configured gold table (as a word, in any
   * case): it may read that table, so the tables are built one after another, in the order the
   * config lists them. A name that only looks like one (in a string or a column alias) costs the
   * parallelism, never correctness.
   */
  static boolean readsAnother(List<GoldTableConfig> tables) {
    for (GoldTableConfig reader : tables) {
      if (reader.sql().isEmpty()) {
        continue;
      }
      for (GoldTableConfig read : tables) {
        if (read != reader
            && Pattern.compile(
                    "(?<![\\w$])" + Pattern.quote(read.name()) + "(?![\\w$])",
                    Pattern.CASE_INSENSITIVE)
                .matcher(reader.sql().get())
                .find()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Runs one step on {@code target} and logs it in the run log, then tells the listener it is done
   * and what quality checks it recorded itself (not those of an earlier step of the run on the same
   * table, such as the rebuild of {@code --full-refresh}).
   */
  private <T> T loggedStep(
      String step,
      String mode,
      String name,
      TableName target,
      TableName quarantine,
      Supplier<T> work,
      ToLongFunction<T> rowsOut,
      Consumer<T> done) {
    int mark = run.mark(target.toString());
    T result = steps().run(step, mode, name, target, work, rowsOut);
    done.accept(result);
    run.reportSince(target.toString(), mark)
        .ifPresent(q -> listener.qualityChecked(name, quarantine, q));
    return result;
  }
}
