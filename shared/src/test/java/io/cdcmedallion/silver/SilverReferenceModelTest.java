package io.cdcmedallion.silver;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.config.ScdType;
import io.cdcmedallion.config.TrackedColumns;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.internal.HelperColumns;
import io.cdcmedallion.testing.SparkTestBase;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Silver against an independent in-memory model, on many small random histories.
 *
 * <p>Each case is a history of at most 40 rows over at most 8 keys: inserts, updates (pre- and
 * post-image on one LSN), deletes and re-inserts, with random LSN gaps (some across the 32-bit half
 * of a pg_lsn), sometimes shuffled, sometimes with events delivered twice, and sometimes with a tie
 * (a different row at a key's latest sequence). All cases of one variant (shape, key width, LSN
 * type, AUTO CDC options) go into one history table with {@code case_id} as the leading key column,
 * so the whole class runs six silver builds, not hundreds. Two variants set the AUTO CDC options: a
 * tie-break column ({@code ver}), soft deletes ({@code gone}), an excluded column ({@code price}),
 * and one of them {@code ignore_null_updates}.
 *
 * <p>Reproduce a failure with {@code -Dsilver.model.seed=<seed from the message>}.
 */
class SilverReferenceModelTest extends SparkTestBase {
  private static final long SEED = Long.getLong("silver.model.seed", 20251122L);
  private static final int CASES_PER_VARIANT = 50;
  private static final int MAX_ROWS = 40;
  private static final int MAX_KEYS = 8;
  private static final List<String> NAMES = List.of("ant", "bee", "cat", "Dog", "eel");
  private static final long EPOCH_2025_MILLIS = 1735689600000L;

  /**
   * Spark's own code generation, as the product runs: the test JVMs evaluate expressions
   * interpreted (surefire.sparkFlags in pom.xml), and this class keeps the generated path under the
   * reference model.
   */
  @BeforeAll
  static void codegenAsInProduction() {
    spark.conf().set("spark.sql.codegen.wholeStage", "true");
    spark.conf().set("spark.sql.codegen.factoryMode", "FALLBACK");
    assertThat(rows("EXPLAIN SELECT id + 1 FROM range(3)").get(0).getString(0))
        .as("whole-stage codegen is on for this class")
        .contains("*(1) Project");
  }

  /** Which AUTO CDC options a variant's entity sets. */
  private enum Options {
    /** None. */
    NONE,
    /**
     * {@code sequence_tie_break: [ver]}, {@code apply_as_deletes: gone}, {@code except_columns:
     * [price]}.
     */
    SOME,
    /** {@link #SOME} and {@code ignore_null_updates: true}. */
    SOME_IGNORING_NULLS
  }

  /**
   * One history table: its shape, whether the entity key has two columns, the LSN type, the
   * entity's AUTO CDC options (with options the table has two more data columns, {@code ver INT}
   * and {@code gone BOOLEAN}), and, for an SCD type 2 entity, which columns its history tracks
   * (empty: SCD type 1).
   */
  private record Variant(
      String name,
      MetadataShape shape,
      boolean compositeKey,
      boolean textLsn,
      Options options,
      Optional<TrackedColumns> history) {
    Variant(String name, MetadataShape shape, boolean compositeKey, boolean textLsn) {
      this(name, shape, compositeKey, textLsn, Options.NONE, Optional.empty());
    }

    Variant(
        String name, MetadataShape shape, boolean compositeKey, boolean textLsn, Options options) {
      this(name, shape, compositeKey, textLsn, options, Optional.empty());
    }

    Variant(
        String name,
        MetadataShape shape,
        boolean compositeKey,
        boolean textLsn,
        Optional<TrackedColumns> history) {
      this(name, shape, compositeKey, textLsn, Options.NONE, history);
    }

    boolean hasOptions() {
      return options != Options.NONE;
    }

    boolean ignoresNulls() {
      return options == Options.SOME_IGNORING_NULLS;
    }

    /** The value columns silver keeps, in table order. */
    List<String> valueColumns() {
      return hasOptions() ? List.of("name", "qty", "ver", "gone") : List.of("name", "qty", "price");
    }

    List<String> keyColumns() {
      return compositeKey ? List.of("order_id", "line_no") : List.of("id");
    }

    String ddl() {
      String keys = compositeKey ? "case_id INT, order_id INT, line_no INT" : "case_id INT, id INT";
      String lsnType = textLsn ? "STRING" : "BIGINT";
      String data =
          keys
              + ", name STRING, qty INT, price INT"
              + (hasOptions() ? ", ver INT, gone BOOLEAN" : "");
      return shape == MetadataShape.COOKBOOK
          ? data + ", _change_type STRING, _lsn " + lsnType + ", _commit_timestamp TIMESTAMP"
          : data
              + ", _pg_change_type STRING, _pg_lsn "
              + lsnType
              + ", _pg_xid BIGINT, _timestamp TIMESTAMP, _sort_by BIGINT";
    }

    EntityConfig entity() {
      List<String> keys = new ArrayList<>();
      keys.add("case_id");
      keys.addAll(keyColumns());
      EntityConfig entity = EntityConfig.of("model_" + name, keys.toArray(new String[0]));
      EntityConfig withHistory =
          history.map(tracked -> entity.withScd(ScdType.TYPE_2, tracked)).orElse(entity);
      if (!hasOptions()) {
        return withHistory;
      }
      CdcOptions cdc =
          CdcOptions.NONE
              .withSequenceTieBreak("ver")
              .withApplyAsDeletes("gone")
              .withExceptColumns("price");
      return withHistory.withCdc(
          ignoresNulls() ? cdc.withNullUpdates(CdcOptions.NullUpdates.IGNORE) : cdc);
    }

    /** The value columns whose changes open a new version. */
    List<String> tracked() {
      return history.orElseThrow().tracked(List.of("name", "qty", "price"));
    }
  }

  /**
   * The data values of a row; nulls allowed. {@code ver} and {@code gone} exist only in variants
   * with options (null otherwise).
   */
  private record Values(String name, Integer qty, Integer price, Integer ver, Boolean gone) {
    Values(String name, Integer qty, Integer price) {
      this(name, qty, price, null, null);
    }

    /** The value of a column silver may keep. */
    Object get(String column) {
      return switch (column) {
        case "name" -> name;
        case "qty" -> qty;
        case "price" -> price;
        case "ver" -> ver;
        default -> gone;
      };
    }
  }

  /** One history row. {@code sortBy} is ignored for the cookbook shape. */
  private record Event(List<Integer> key, String type, Values values, long lsn, long sortBy) {}

  private static final Comparator<Integer> NULLS_FIRST_INT =
      Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<String> NULLS_FIRST_TEXT =
      Comparator.nullsFirst(Comparator.naturalOrder());

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Comparator<Object> NULLS_FIRST =
      Comparator.nullsFirst((a, b) -> ((Comparable) a).compareTo(b));

  /**
   * The documented tie rule on the columns silver keeps: effective change type (delete >
   * update_postimage > insert), then greater values in column order.
   */
  private static Comparator<Event> tieRule(Variant variant) {
    if (!variant.hasOptions()) {
      return TIE_RULE;
    }
    Comparator<Event> rule = Comparator.comparingInt(e -> rank(effectiveType(variant, e)));
    for (String column : variant.valueColumns()) {
      rule = rule.thenComparing(e -> e.values().get(column), NULLS_FIRST);
    }
    return rule;
  }

  /**
   * The change type silver sees: with options, an insert or post-image with gone = true is a
   * delete.
   */
  private static String effectiveType(Variant variant, Event e) {
    boolean row = e.type().equals("insert") || e.type().equals("update_postimage");
    return variant.hasOptions() && row && Boolean.TRUE.equals(e.values().gone())
        ? "delete"
        : e.type();
  }

  /**
   * The documented tie rule: delete > update_postimage > insert, then greater values in column
   * order.
   */
  private static final Comparator<Event> TIE_RULE =
      Comparator.<Event>comparingInt(e -> rank(e.type()))
          .thenComparing(e -> e.values().name(), NULLS_FIRST_TEXT)
          .thenComparing(e -> e.values().qty(), NULLS_FIRST_INT)
          .thenComparing(e -> e.values().price(), NULLS_FIRST_INT);

  private static int rank(String type) {
    return switch (type) {
      case "delete" -> 3;
      case "update_postimage" -> 2;
      default -> 1;
    };
  }

  @Test
  @Timeout(180)
  void silverMatchesTheReferenceModelOnRandomHistories() {
    List<Variant> variants =
        List.of(
            new Variant(
                "cookbook_long",
                MetadataShape.COOKBOOK,
                false,
                false,
                Optional.of(TrackedColumns.all())),
            new Variant("cookbook_pair_text", MetadataShape.COOKBOOK, true, true),
            new Variant(
                "lakebase_text",
                MetadataShape.LAKEBASE,
                false,
                true,
                Optional.of(TrackedColumns.except(List.of("name")))),
            new Variant("lakebase_pair_long", MetadataShape.LAKEBASE, true, false),
            new Variant("cookbook_options", MetadataShape.COOKBOOK, false, false, Options.SOME),
            new Variant(
                "lakebase_pair_text_options_nulls",
                MetadataShape.LAKEBASE,
                true,
                true,
                Options.SOME_IGNORING_NULLS));
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int totalCases = 0;
    int totalRows = 0;
    int tieCases = 0;
    int carriedCases = 0;
    int softDeleteCases = 0;
    int tieBreakCases = 0;
    for (Variant variant : variants) {
      Map<Integer, List<Event>> cases = new TreeMap<>();
      for (int c = 0; c < CASES_PER_VARIANT; c++) {
        cases.put(c, generateCase(random, variant));
      }
      totalCases += cases.size();
      totalRows += cases.values().stream().mapToInt(List::size).sum();
      tieCases +=
          (int)
              cases.values().stream()
                  .filter(events -> !tiedKeys(variant, events).isEmpty())
                  .count();
      failures.addAll(check(variant, cases));
      if (variant.ignoresNulls()) {
        Variant overwriting =
            new Variant(
                variant.name(),
                variant.shape(),
                variant.compositeKey(),
                variant.textLsn(),
                Options.SOME);
        carriedCases +=
            (int)
                cases.values().stream()
                    .filter(e -> !expectedRows(variant, e).equals(expectedRows(overwriting, e)))
                    .count();
      }
      if (variant.hasOptions()) {
        softDeleteCases +=
            (int)
                cases.values().stream().filter(events -> winsBySoftDelete(variant, events)).count();
        tieBreakCases +=
            (int)
                cases.values().stream()
                    .filter(events -> orderedByTieBreak(variant, events))
                    .count();
      }
    }

    assertThat(failures)
        .as(
            "silver vs the reference model, seed %d (rerun with -Dsilver.model.seed=%d); first failures:%n%s",
            SEED, SEED, String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))))
        .isEmpty();
    assertThat(totalCases).isEqualTo(300);
    assertThat(totalRows).as("rows generated").isGreaterThan(3000);
    assertThat(tieCases)
        .as("cases with a tie (the generator must exercise the tie rule)")
        .isBetween(15, 150);
    assertThat(carriedCases)
        .as("cases where ignore_null_updates keeps a value (the generator must exercise it)")
        .isGreaterThan(10);
    assertThat(softDeleteCases)
        .as("cases where a soft delete is a key's latest event")
        .isGreaterThan(10);
    assertThat(tieBreakCases)
        .as("cases where the tie-break column orders a key's latest events")
        .isGreaterThan(5);
  }

  /**
   * Incremental silver against the same model: each case's history is delivered in {@value
   * #APPEND_BATCHES} random append batches (in the generator's delivery order, which is often
   * shuffled, plus re-deliveries of earlier events), and after every batch incremental silver must
   * equal both a full refresh over the same bronze and the model over the events delivered so far.
   */
  @Test
  @Timeout(600)
  void incrementalSilverMatchesFullRefreshAndTheModelAfterEveryAppendBatch() {
    // One variant (the Lakebase shape with a composite key and pg_lsn text, the richest ordering)
    // keeps the Spark job count small; IncrementalSilverTest covers the cookbook shape.
    // The cookbook variant sets every AUTO CDC option, ignore_null_updates included.
    List<Variant> variants =
        List.of(
            new Variant(
                "inc_lakebase_pair_text",
                MetadataShape.LAKEBASE,
                true,
                true,
                Optional.of(TrackedColumns.only(List.of("name", "price")))),
            new Variant(
                "inc_cookbook_pair_text_options",
                MetadataShape.COOKBOOK,
                true,
                true,
                Options.SOME_IGNORING_NULLS));
    Random random = new Random(SEED + 1);
    List<String> failures = new ArrayList<>();
    int checks = 0;
    int redelivered = 0;
    for (Variant variant : variants) {
      EntityConfig entity = variant.entity();
      PipelineConfig config =
          new PipelineConfig(
              "model.yml", "main", "bronze", "silver", "gold", List.of(entity), List.of());
      Map<Integer, List<List<Event>>> deliveries = new TreeMap<>();
      for (int c = 0; c < INCREMENTAL_CASES_PER_VARIANT; c++) {
        List<List<Event>> batches = split(random, generateCase(random, variant));
        redelivered += batches.stream().mapToInt(List::size).sum();
        deliveries.put(c, batches);
      }
      // Empty bronze first: the first incremental run is then a full refresh of nothing, and every
      // batch below goes through the streaming MERGE.
      Tables.replace(
          spark,
          spark.createDataFrame(List.of(), StructType.fromDDL(variant.ddl())),
          config.historyTable(entity));
      IncrementalSilver incremental =
          new IncrementalSilver(spark, config, IncrementalOptions.availableNow(), b -> {});
      incremental.run(entity);
      Map<Integer, List<Event>> delivered = new TreeMap<>();
      Random formatting = new Random(SEED ^ variant.name().hashCode());
      for (int b = 0; b < APPEND_BATCHES; b++) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, List<List<Event>>> c : deliveries.entrySet()) {
          for (Event e : c.getValue().get(b)) {
            rows.add(toRow(variant, c.getKey(), e, formatting));
            delivered.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(e);
          }
        }
        Tables.append(
            spark,
            spark.createDataFrame(rows, StructType.fromDDL(variant.ddl())).repartition(3),
            config.historyTable(entity));

        assertThat(incremental.run(entity).batches()).isEqualTo(1);

        Dataset<Row> silver = spark.table(config.silverTable(entity).quoted());
        BronzeHistory bronze = BronzeHistory.read(spark, config, entity);
        Dataset<Row> full =
            CurrentState.currentRows(
                bronze.layout(), CurrentState.latestEvents(bronze, bronze.validRows()));
        // Collected and compared as text per case: one Spark job per side instead of two exceptAll.
        assertThat(silver.columns()).containsExactly(full.columns());
        Map<Integer, Set<String>> actual = renderByCase(variant, silver);
        if (!actual.equals(renderByCase(variant, full))) {
          failures.add(
              "after append batch " + b + ": incremental silver differs from a full refresh");
        }
        boolean scd2 = variant.history().isPresent();
        Map<Integer, List<String>> history =
            scd2
                ? renderHistoryByCase(
                    variant, spark.table(Scd2History.tableFor(config.silverTable(entity)).quoted()))
                : Map.of();
        // The model is checked after every batch; the full refresh's history (one more Spark job)
        // after the last.
        if (scd2
            && b == APPEND_BATCHES - 1
            && !history.equals(
                renderHistoryByCase(
                    variant,
                    Scd2History.versions(bronze, bronze.validRows(), variant.tracked())))) {
          failures.add(
              "after append batch " + b + ": incremental history differs from a full refresh");
        }
        for (Map.Entry<Integer, List<Event>> c : delivered.entrySet()) {
          checks++;
          Set<String> expected = expectedRows(variant, c.getValue());
          Set<String> got = actual.getOrDefault(c.getKey(), Set.of());
          if (!expected.equals(got)) {
            failures.add(
                "after append batch "
                    + b
                    + ": "
                    + describe(variant, c.getKey(), c.getValue(), expected, got));
          }
          if (!scd2) {
            continue;
          }
          List<String> expectedVersions = expectedHistory(variant, c.getValue());
          List<String> gotVersions = history.getOrDefault(c.getKey(), List.of());
          if (!expectedVersions.equals(gotVersions)) {
            failures.add(
                "after append batch "
                    + b
                    + ", history: "
                    + describe(
                        variant,
                        c.getKey(),
                        c.getValue(),
                        new TreeSet<>(expectedVersions),
                        new TreeSet<>(gotVersions)));
          }
        }
      }
    }

    assertThat(failures)
        .as(
            "incremental silver vs the reference model, seed %d; first failures:%n%s",
            SEED + 1, String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))))
        .isEmpty();
    assertThat(checks).as("case checks").isGreaterThanOrEqualTo(500);
    assertThat(redelivered).as("rows delivered").isGreaterThan(2000);
  }

  private static final int INCREMENTAL_CASES_PER_VARIANT = 200;
  private static final int APPEND_BATCHES = 3;

  /**
   * Splits one case's events, in delivery order, into {@value #APPEND_BATCHES} append batches at
   * random cut points; sometimes an event of an earlier batch is delivered again in a later one.
   */
  private static List<List<Event>> split(Random r, List<Event> events) {
    List<List<Event>> batches = new ArrayList<>();
    int from = 0;
    for (int b = 0; b < APPEND_BATCHES; b++) {
      int to = b == APPEND_BATCHES - 1 ? events.size() : from + r.nextInt(events.size() - from + 1);
      List<Event> batch = new ArrayList<>(events.subList(from, to));
      if (from > 0 && r.nextInt(4) == 0) {
        batch.add(events.get(r.nextInt(from)));
      }
      batches.add(batch);
      from = to;
    }
    return batches;
  }

  private static Map<Integer, Set<String>> renderByCase(Variant variant, Dataset<Row> silver) {
    Map<Integer, Set<String>> byCase = new HashMap<>();
    for (Row row : silver.collectAsList()) {
      List<Integer> key = variant.keyColumns().stream().map(k -> (Integer) row.getAs(k)).toList();
      Values values =
          variant.hasOptions()
              ? new Values(
                  row.getAs("name"), row.getAs("qty"), null, row.getAs("ver"), row.getAs("gone"))
              : new Values(row.getAs("name"), row.getAs("qty"), row.getAs("price"));
      byCase
          .computeIfAbsent(row.getAs("case_id"), c -> new TreeSet<>())
          .add(render(variant, key, values));
    }
    return byCase;
  }

  /** History rows per case, as sorted text (a version may in principle repeat, so a list). */
  private static Map<Integer, List<String>> renderHistoryByCase(
      Variant variant, Dataset<Row> history) {
    Map<Integer, List<String>> byCase = new HashMap<>();
    for (Row row : history.collectAsList()) {
      List<Integer> key = variant.keyColumns().stream().map(k -> (Integer) row.getAs(k)).toList();
      Values values = new Values(row.getAs("name"), row.getAs("qty"), row.getAs("price"));
      Number start = row.getAs(Scd2History.START_AT);
      Number end = row.getAs(Scd2History.END_AT);
      byCase
          .computeIfAbsent(row.getAs("case_id"), c -> new ArrayList<>())
          .add(
              renderVersion(
                  variant, key, values, start.longValue(), end == null ? null : end.longValue()));
    }
    byCase.values().forEach(Collections::sort);
    return byCase;
  }

  // --- generator -------------------------------------------------------------------------------

  private static List<Event> generateCase(Random r, Variant variant) {
    int keyCount = 1 + r.nextInt(MAX_KEYS);
    List<List<Integer>> keys = new ArrayList<>();
    for (int k = 0; k < keyCount; k++) {
      // Composite keys repeat each part across keys: (1,1), (1,2), (1,3), (2,1), ...
      keys.add(
          variant.compositeKey() ? List.of(1 + k / 3, 1 + k % 3) : List.of(k * 7 + r.nextInt(7)));
    }
    long lsn =
        switch (r.nextInt(3)) {
          case 0 -> r.nextInt(1000);
          case 1 -> 0xFFFFFF00L + r.nextInt(256); // crosses into the next pg_lsn half soon
          default -> ((long) r.nextInt(0x7FFF) << 32) + r.nextInt();
        };
    lsn = Math.abs(lsn);
    boolean lakebase = variant.shape() == MetadataShape.LAKEBASE;
    long sortBy = r.nextInt(5);
    Map<List<Integer>, Values> present = new HashMap<>();
    List<Event> events = new ArrayList<>();
    int budget = 1 + r.nextInt(MAX_ROWS - 4);
    while (events.size() < budget) {
      // Lakebase: several changes of one transaction share its _pg_lsn; _sort_by orders them and
      // restarts at a random value, so it only means something within one LSN.
      if (lakebase && !events.isEmpty() && r.nextInt(3) == 0) {
        sortBy++;
      } else {
        lsn += lsnGap(r);
        sortBy = r.nextInt(5);
      }
      List<Integer> key = keys.get(r.nextInt(keys.size()));
      Values current = present.get(key);
      if (current == null) {
        Values inserted = randomValues(r, variant);
        events.add(new Event(key, "insert", inserted, lsn, sortBy));
        present.put(key, inserted);
      } else if (r.nextInt(10) < 6) {
        Values updated = randomValues(r, variant);
        events.add(new Event(key, "update_preimage", current, lsn, sortBy));
        // In the Lakebase shape the post-image comes right after its pre-image; in the cookbook
        // shape they share the LSN and nothing else orders them.
        events.add(new Event(key, "update_postimage", updated, lsn, lakebase ? ++sortBy : sortBy));
        present.put(key, updated);
      } else {
        events.add(new Event(key, "delete", current, lsn, sortBy));
        present.remove(key);
      }
    }
    if (r.nextInt(5) == 0) {
      addTie(r, variant, events);
    }
    if (variant.hasOptions() && r.nextInt(3) == 0) {
      // Another event at a key's latest LSN, often with another tie-break value.
      addTie(r, variant, events);
    }
    if (r.nextInt(4) == 0) {
      // The same event delivered twice is not a tie.
      for (int d = 1 + r.nextInt(3); d > 0; d--) {
        events.add(events.get(r.nextInt(events.size())));
      }
    }
    if (r.nextBoolean()) {
      Collections.shuffle(events, r);
    }
    return events;
  }

  private static long lsnGap(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> (1L << 32) + r.nextInt(3); // next pg_lsn half, low part barely moves
      case 1, 2 -> 1 + r.nextInt(1 << 20);
      default -> 1 + r.nextInt(3);
    };
  }

  private static Values randomValues(Random r, Variant variant) {
    String name = r.nextInt(6) == 0 ? null : NAMES.get(r.nextInt(NAMES.size()));
    Integer qty = r.nextInt(5) == 0 ? null : r.nextInt(4);
    // Same type as qty, so rows that swap which column is null can meet in a tie.
    Integer price = r.nextInt(5) == 0 ? null : r.nextInt(4);
    if (!variant.hasOptions()) {
      return new Values(name, qty, price);
    }
    // Few versions, so that events sharing an LSN sometimes share one too (a tie).
    Integer ver = r.nextInt(6) == 0 ? null : r.nextInt(3);
    Boolean gone = r.nextInt(6) == 0 ? null : r.nextInt(6) == 0;
    return new Values(name, qty, price, ver, gone);
  }

  /** A different row at one key's latest sequence: a tie the documented rule must resolve. */
  private static void addTie(Random r, Variant variant, List<Event> events) {
    List<Event> candidates =
        events.stream().filter(e -> !e.type().equals("update_preimage")).toList();
    List<Integer> key = candidates.get(r.nextInt(candidates.size())).key();
    Event top =
        candidates.stream()
            .filter(e -> e.key().equals(key))
            .max(sequenceOrder(variant).thenComparingLong(Event::sortBy))
            .orElseThrow();
    String type = List.of("insert", "update_postimage", "delete").get(r.nextInt(3));
    Values values = r.nextBoolean() ? randomValues(r, variant) : swapNulls(top.values());
    // With the same tie-break value it is a tie; with options, sometimes the tie-break column
    // orders the two instead.
    if (!variant.hasOptions() || r.nextBoolean()) {
      values =
          new Values(
              values.name(), values.qty(), values.price(), top.values().ver(), values.gone());
    }
    events.add(new Event(top.key(), type, values, top.lsn(), top.sortBy()));
  }

  private static Values swapNulls(Values v) {
    return new Values(v.name(), v.price(), v.qty(), v.ver(), v.gone());
  }

  // --- reference model -------------------------------------------------------------------------

  /** Sequence of an event as the shape orders it. */
  private static Comparator<Event> sequenceOrder(Variant variant) {
    Comparator<Event> order = Comparator.comparingLong(Event::lsn);
    if (variant.shape() == MetadataShape.LAKEBASE) {
      order = order.thenComparingLong(Event::sortBy);
    }
    if (variant.hasOptions()) {
      // sequence_tie_break: [ver]; null sorts lowest.
      order = order.thenComparing(e -> e.values().ver(), NULLS_FIRST_INT);
    }
    return order;
  }

  /** The events of each key at its greatest sequence, duplicates removed. */
  private static Map<List<Integer>, Set<Event>> latestByKey(Variant variant, List<Event> events) {
    Comparator<Event> order = sequenceOrder(variant);
    Map<List<Integer>, Set<Event>> latest = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.type().equals("update_preimage")) {
        continue;
      }
      Set<Event> top = latest.get(e.key());
      if (top == null || order.compare(e, top.iterator().next()) > 0) {
        top = new LinkedHashSet<>();
        latest.put(e.key(), top);
      } else if (order.compare(e, top.iterator().next()) < 0) {
        continue;
      }
      // Without _sort_by two events differ only in content; with it the sort_by is equal anyway.
      // Events differ only in what silver sees: the effective type and the kept columns.
      Values v = e.values();
      top.add(
          new Event(
              e.key(),
              effectiveType(variant, e),
              variant.hasOptions() ? new Values(v.name(), v.qty(), null, v.ver(), v.gone()) : v,
              e.lsn(),
              variant.shape() == MetadataShape.LAKEBASE ? e.sortBy() : 0));
    }
    return latest;
  }

  /** Expected silver rows of one case, as text. */
  private static Set<String> expectedRows(Variant variant, List<Event> events) {
    if (variant.ignoresNulls()) {
      return expectedRowsIgnoringNulls(variant, events);
    }
    Set<String> rows = new TreeSet<>();
    latestByKey(variant, events)
        .forEach(
            (key, top) -> {
              Event winner = top.stream().max(tieRule(variant)).orElseThrow();
              if (!winner.type().equals("delete")) {
                rows.add(render(variant, key, winner.values()));
              }
            });
    return rows;
  }

  /**
   * Expected SCD type 2 history of one case, as sorted text: per key, the events (pre-images aside)
   * in sequence order, ties by the tie rule, folded one by one. An insert or update opens a version
   * when none is open or a tracked value differs from the open one, else it replaces the open
   * version's values; a delete closes the open version. A closed version ends at the LSN of the
   * event that closed it.
   */
  private static List<String> expectedHistory(Variant variant, List<Event> events) {
    Comparator<Event> order = sequenceOrder(variant).thenComparing(TIE_RULE);
    Map<List<Integer>, List<Event>> byKey = eventsByKey(events);
    List<String> rows = new ArrayList<>();
    byKey.forEach(
        (key, keyEvents) -> {
          keyEvents.sort(order);
          Values open = null;
          long start = 0;
          for (Event e : keyEvents) {
            if (e.type().equals("delete")) {
              if (open != null) {
                rows.add(renderVersion(variant, key, open, start, e.lsn()));
                open = null;
              }
            } else if (open == null) {
              open = e.values();
              start = e.lsn();
            } else if (!sameTracked(variant, open, e.values())) {
              rows.add(renderVersion(variant, key, open, start, e.lsn()));
              open = e.values();
              start = e.lsn();
            } else {
              open = e.values();
            }
          }
          if (open != null) {
            rows.add(renderVersion(variant, key, open, start, null));
          }
        });
    Collections.sort(rows);
    return rows;
  }

  /** Each key's events in delivery order, update pre-images left out. */
  private static Map<List<Integer>, List<Event>> eventsByKey(List<Event> events) {
    Map<List<Integer>, List<Event>> byKey = new LinkedHashMap<>();
    for (Event e : events) {
      if (!e.type().equals("update_preimage")) {
        byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
      }
    }
    return byKey;
  }

  private static boolean sameTracked(Variant variant, Values a, Values b) {
    return variant.tracked().stream().allMatch(c -> Objects.equals(a.get(c), b.get(c)));
  }

  private static String renderVersion(
      Variant variant, List<Integer> key, Values v, long start, Long end) {
    return render(variant, key, v) + " [" + start + ", " + end + ")";
  }

  /**
   * {@code ignore_null_updates}, as documented: a key exists when its latest event is not a delete;
   * each column holds the value of the greatest event (by sequence, then change type, then the
   * value) that set it to a non-null value after the key's last delete, or null.
   */
  private static Set<String> expectedRowsIgnoringNulls(Variant variant, List<Event> events) {
    Comparator<Event> sequence = sequenceOrder(variant);
    Map<List<Integer>, List<Event>> byKey = eventsByKey(events);
    Set<String> rows = new TreeSet<>();
    byKey.forEach(
        (key, keyEvents) -> {
          Event lastDelete =
              keyEvents.stream()
                  .filter(e -> effectiveType(variant, e).equals("delete"))
                  .max(sequence)
                  .orElse(null);
          List<Event> upserts =
              keyEvents.stream()
                  .filter(e -> !effectiveType(variant, e).equals("delete"))
                  .filter(e -> lastDelete == null || sequence.compare(e, lastDelete) > 0)
                  .toList();
          if (upserts.isEmpty()) {
            return;
          }
          Map<String, Object> row = new HashMap<>();
          for (String column : variant.valueColumns()) {
            row.put(
                column,
                upserts.stream()
                    .filter(e -> e.values().get(column) != null)
                    .max(
                        sequence
                            .thenComparingInt(e -> rank(e.type()))
                            .thenComparing(e -> e.values().get(column), NULLS_FIRST))
                    .map(e -> e.values().get(column))
                    .orElse(null));
          }
          rows.add(
              render(
                  variant,
                  key,
                  new Values(
                      (String) row.get("name"),
                      (Integer) row.get("qty"),
                      null,
                      (Integer) row.get("ver"),
                      (Boolean) row.get("gone"))));
        });
    return rows;
  }

  /** True when some key's latest event is an insert or post-image that counts as a delete. */
  private static boolean winsBySoftDelete(Variant variant, List<Event> events) {
    Comparator<Event> order = sequenceOrder(variant);
    return events.stream()
        .filter(e -> !e.type().equals("update_preimage"))
        .collect(
            Collectors.groupingBy(
                Event::key,
                Collectors.maxBy(order.thenComparingInt(e -> rank(effectiveType(variant, e))))))
        .values()
        .stream()
        .flatMap(java.util.Optional::stream)
        .anyMatch(e -> !e.type().equals("delete") && effectiveType(variant, e).equals("delete"));
  }

  /** True when two different events of a key share LSN and _sort_by but not the tie-break value. */
  private static boolean orderedByTieBreak(Variant variant, List<Event> events) {
    List<Event> rows = events.stream().filter(e -> !e.type().equals("update_preimage")).toList();
    for (Event a : rows) {
      for (Event b : rows) {
        if (a.key().equals(b.key())
            && a.lsn() == b.lsn()
            && (variant.shape() == MetadataShape.COOKBOOK || a.sortBy() == b.sortBy())
            && !java.util.Objects.equals(a.values().ver(), b.values().ver())) {
          return true;
        }
      }
    }
    return false;
  }

  private static Set<List<Integer>> tiedKeys(Variant variant, List<Event> events) {
    return latestByKey(variant, events).entrySet().stream()
        .filter(e -> e.getValue().size() > 1)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private static String render(Variant variant, List<Integer> key, Values v) {
    return key
        + variant.valueColumns().stream().map(c -> " " + v.get(c)).collect(Collectors.joining());
  }

  // --- Spark side ------------------------------------------------------------------------------

  private static List<String> check(Variant variant, Map<Integer, List<Event>> cases) {
    EntityConfig entity = variant.entity();
    PipelineConfig config =
        new PipelineConfig(
            "model.yml", "main", "bronze", "silver", "gold", List.of(entity), List.of());
    List<Row> rows = new ArrayList<>();
    Random formatting = new Random(SEED ^ variant.name().hashCode());
    cases.forEach(
        (caseId, events) -> events.forEach(e -> rows.add(toRow(variant, caseId, e, formatting))));
    Dataset<Row> history =
        spark.createDataFrame(rows, StructType.fromDDL(variant.ddl())).repartition(5);
    Tables.replace(spark, history, config.historyTable(entity));

    SilverResult result = new SilverJob(spark, config).run(entity);

    List<String> keyColumns = variant.keyColumns();
    Map<Integer, Set<String>> actual =
        renderByCase(variant, spark.table(config.silverTable(entity).quoted()));
    List<String> failures = new ArrayList<>();
    List<String> expectedColumns = new ArrayList<>(List.of("case_id"));
    expectedColumns.addAll(keyColumns);
    expectedColumns.addAll(variant.valueColumns());
    assertThat(spark.table(config.silverTable(entity).quoted()).columns())
        .containsExactlyElementsOf(expectedColumns);
    TableName historyName = Scd2History.tableFor(config.silverTable(entity));
    Map<Integer, List<String>> versions = Map.of();
    if (variant.history().isPresent()) {
      Dataset<Row> historyTable = spark.table(historyName.quoted());
      List<String> historyColumns = new ArrayList<>(expectedColumns);
      historyColumns.addAll(List.of(Scd2History.START_AT, Scd2History.END_AT));
      assertThat(historyTable.columns()).containsExactlyElementsOf(historyColumns);
      versions = renderHistoryByCase(variant, historyTable);
    } else {
      assertThat(Tables.exists(spark, historyName)).as("SCD type 1 keeps no history").isFalse();
    }
    long expectedTies = 0;
    for (Map.Entry<Integer, List<Event>> c : cases.entrySet()) {
      Set<String> expected = expectedRows(variant, c.getValue());
      Set<String> got = actual.getOrDefault(c.getKey(), Set.of());
      expectedTies += tiedKeys(variant, c.getValue()).size();
      if (!expected.equals(got)) {
        failures.add(describe(variant, c.getKey(), c.getValue(), expected, got));
      }
      List<String> expectedVersions =
          variant.history().isPresent() ? expectedHistory(variant, c.getValue()) : List.of();
      List<String> gotVersions = versions.getOrDefault(c.getKey(), List.of());
      if (!expectedVersions.equals(gotVersions)) {
        failures.add(
            "history: "
                + describe(
                    variant,
                    c.getKey(),
                    c.getValue(),
                    new TreeSet<>(expectedVersions),
                    new TreeSet<>(gotVersions)));
      }
    }
    if (result.ties() != expectedTies) {
      failures.add(
          String.format(
              Locale.ROOT,
              "variant %s: SilverResult.ties() = %d, model says %d; cases whose tie flags differ:%n%s",
              variant.name(),
              result.ties(),
              expectedTies,
              tieDifferences(variant, config, entity, cases)));
    }
    return failures;
  }

  /** Only computed on failure: per case, the keys Spark flags as tied vs the model's. */
  private static String tieDifferences(
      Variant variant,
      PipelineConfig config,
      EntityConfig entity,
      Map<Integer, List<Event>> cases) {
    BronzeHistory history = BronzeHistory.read(spark, config, entity);
    Map<Integer, Set<List<Integer>>> flagged = new HashMap<>();
    for (Row row :
        CurrentState.latestEvents(history, history.validRows())
            .filter(col(HelperColumns.TIE_COLUMN))
            .collectAsList()) {
      List<Integer> key = variant.keyColumns().stream().map(k -> (Integer) row.getAs(k)).toList();
      flagged.computeIfAbsent(row.getAs("case_id"), c -> new HashSet<>()).add(key);
    }
    List<String> lines = new ArrayList<>();
    cases.forEach(
        (caseId, events) -> {
          Set<List<Integer>> expected = tiedKeys(variant, events);
          Set<List<Integer>> got = flagged.getOrDefault(caseId, Set.of());
          if (!expected.equals(got) && lines.size() < 3) {
            lines.add(
                describe(
                    variant,
                    caseId,
                    events,
                    Set.of("tied keys " + expected),
                    Set.of("tied keys " + got)));
          }
        });
    return String.join("\n", lines);
  }

  private static String describe(
      Variant variant, int caseId, List<Event> events, Set<String> expected, Set<String> got) {
    String history =
        events.stream()
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "  %s %-16s %s lsn=%d sort_by=%d",
                        e.key(),
                        e.type(),
                        e.values(),
                        e.lsn(),
                        e.sortBy()))
            .collect(Collectors.joining("\n"));
    return String.format(
        Locale.ROOT,
        "seed %d, variant %s, case %d%nexpected %s%nbut got  %s%nhistory (delivery order):%n%s",
        SEED,
        variant.name(),
        caseId,
        expected,
        got,
        history);
  }

  private static Row toRow(Variant variant, int caseId, Event e, Random formatting) {
    List<Object> values = new ArrayList<>();
    values.add(caseId);
    values.addAll(e.key());
    values.add(e.values().name());
    values.add(e.values().qty());
    values.add(e.values().price());
    if (variant.hasOptions()) {
      values.add(e.values().ver());
      values.add(e.values().gone());
    }
    Object lsn = variant.textLsn() ? pgLsn(e.lsn(), formatting) : (Object) e.lsn();
    Timestamp commit = new Timestamp(EPOCH_2025_MILLIS + (e.lsn() % 100_000_000L));
    values.add(e.type());
    values.add(lsn);
    if (variant.shape() == MetadataShape.COOKBOOK) {
      values.add(commit);
    } else {
      values.add(e.lsn() / 16);
      values.add(commit);
      values.add(e.sortBy());
    }
    return RowFactory.create(values.toArray());
  }

  /** pg_lsn text, e.g. {@code 16/B374D848}; sometimes lower case or zero-padded, as both parse. */
  private static String pgLsn(long lsn, Random formatting) {
    String high = Long.toHexString(lsn >>> 32);
    String low = Long.toHexString(lsn & 0xFFFFFFFFL);
    if (formatting.nextInt(4) == 0) {
      low = "0".repeat(8 - low.length()) + low;
    }
    String text = high + "/" + low;
    return formatting.nextInt(3) == 0 ? text : text.toUpperCase(Locale.ROOT);
  }

  @Test
  void referenceModelAppliesTheDocumentedRules() {
    Variant lakebase =
        new Variant("x", MetadataShape.LAKEBASE, false, false, Optional.of(TrackedColumns.all()));
    Values a = new Values("a", 1, 2);
    Values b = new Values("b", null, 1);
    List<Event> events =
        List.of(
            new Event(List.of(1), "insert", a, 5, 9),
            new Event(List.of(1), "update_preimage", a, 7, 0),
            new Event(List.of(1), "update_postimage", b, 7, 1),
            new Event(List.of(2), "insert", a, 5, 0),
            new Event(List.of(2), "delete", a, 6, 0),
            new Event(List.of(3), "insert", a, 5, 0),
            new Event(List.of(3), "insert", b, 5, 0));

    assertThat(expectedRows(lakebase, events)).containsExactly("[1] b null 1", "[3] b null 1");
    assertThat(tiedKeys(lakebase, events)).containsExactly(List.of(3));
    // Key 3's tie: both inserts at LSN 5, the smaller values first, so "a" lasts no time at all.
    assertThat(expectedHistory(lakebase, events))
        .containsExactly(
            "[1] a 1 2 [5, 7)",
            "[1] b null 1 [7, null)",
            "[2] a 1 2 [5, 6)",
            "[3] a 1 2 [5, 5)",
            "[3] b null 1 [5, null)");
    Variant onlyQty =
        new Variant(
            "y",
            MetadataShape.COOKBOOK,
            false,
            false,
            Optional.of(TrackedColumns.only(List.of("qty"))));
    List<Event> untracked =
        List.of(
            new Event(List.of(1), "insert", new Values("a", 1, 1), 5, 0),
            new Event(List.of(1), "update_postimage", new Values("b", 1, 2), 6, 0),
            new Event(List.of(1), "update_postimage", new Values("b", 2, 2), 8, 0),
            new Event(List.of(1), "delete", new Values("b", 2, 2), 9, 0),
            new Event(List.of(1), "delete", new Values("b", 2, 2), 9, 0),
            new Event(List.of(1), "insert", new Values("c", 2, 2), 12, 0));
    assertThat(expectedHistory(onlyQty, untracked))
        .containsExactly("[1] b 1 2 [5, 8)", "[1] b 2 2 [8, 9)", "[1] c 2 2 [12, null)");
  }

  @Test
  void referenceModelAppliesTheDocumentedOptions() {
    Variant options = new Variant("o", MetadataShape.COOKBOOK, false, false, Options.SOME);
    Variant nulls =
        new Variant("n", MetadataShape.COOKBOOK, false, false, Options.SOME_IGNORING_NULLS);
    List<Event> events =
        List.of(
            new Event(List.of(1), "insert", new Values("a", 1, 7, 0, false), 5, 0),
            new Event(List.of(1), "update_postimage", new Values(null, 2, 7, 1, null), 7, 0),
            // Same LSN: the tie-break column orders them (null lowest); price is not compared.
            new Event(List.of(2), "insert", new Values("a", 1, 7, 0, false), 5, 0),
            new Event(List.of(2), "insert", new Values("b", null, 8, 1, false), 5, 0),
            new Event(List.of(2), "insert", new Values("c", 3, 9, null, false), 5, 0),
            // gone = true is a soft delete; after it nothing is carried over.
            new Event(List.of(3), "insert", new Values("a", 1, 7, 0, false), 5, 0),
            new Event(List.of(3), "update_postimage", new Values("a", 1, 7, 0, true), 6, 0),
            new Event(List.of(3), "insert", new Values(null, 4, 7, null, null), 8, 0));

    assertThat(expectedRows(options, events))
        .containsExactly("[1] null 2 1 null", "[2] b null 1 false", "[3] null 4 null null");
    assertThat(expectedRows(nulls, events))
        .containsExactly("[1] a 2 1 false", "[2] b 1 1 false", "[3] null 4 null null");
    assertThat(tiedKeys(options, events)).isEmpty();
  }
}
