package io.cdcmedallion.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cdcmedallion.errors.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;

/**
 * A table's expectations as one transform of Datasets: {@link #apply} splits rows into kept and
 * quarantined and counts passed/failed/dropped per expectation in one aggregation. It reads no
 * config and writes nothing, so a full refresh calls it once per run and an incremental job once
 * per micro-batch (summing {@link QualityReport}s with {@link QualityReport#plus}).
 *
 * <pre>
 * CheckedRows checked = expectations.apply(rows);  // one Spark job: the counts
 * checked.requireNoFailures();                     // a fail expectation failed: throw, write nothing
 * Quarantine.append(spark, checked, quarantineTable, runId);
 * write(checked.kept());
 * </pre>
 */
public final class Expectations {
  /** Column of quarantined rows listing the names of the expectations a row failed. */
  public static final String FAILED_COLUMN = "_failed_expectations";

  private static final int EXAMPLES = 5;

  private record Rule(Expectation expectation, Column condition, Column scope, boolean sql) {}

  private final String table;
  private final List<String> exampleColumns;
  private final List<Rule> rules;

  private Expectations(String table, List<String> exampleColumns, List<Rule> rules) {
    this.table = Objects.requireNonNull(table, "table");
    this.exampleColumns = List.copyOf(exampleColumns);
    this.rules = List.copyOf(rules);
  }

  /**
   * No expectations yet.
   *
   * @param table the table checked, named in messages
   * @param exampleColumns columns that identify a failing row in messages (the key columns)
   */
  public static Expectations on(String table, List<String> exampleColumns) {
    return new Expectations(table, exampleColumns, List.of());
  }

  /** Adds expectations that apply to every row. */
  public Expectations with(List<Expectation> expectations) {
    return with(expectations, lit(true));
  }

  /**
   * Adds expectations that apply only to rows where {@code scope} is true; other rows are neither
   * passed nor failed by them (silver checks inserts and update post-images, not deletes).
   */
  public Expectations with(List<Expectation> expectations, Column scope) {
    List<Rule> all = new ArrayList<>(rules);
    for (Expectation e : expectations) {
      all.add(new Rule(e, expr(e.expression()), scope, true));
    }
    return new Expectations(table, exampleColumns, all);
  }

  /**
   * Adds an expectation whose condition is built in code (the bronze contract checks); its {@code
   * expression} is shown in messages only.
   */
  public Expectations withCondition(Expectation expectation, Column condition) {
    List<Rule> all = new ArrayList<>(rules);
    all.add(new Rule(expectation, condition, lit(true), false));
    return new Expectations(table, exampleColumns, all);
  }

  /** True when there is nothing to check. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The expectations, in the order they were added. */
  public List<Expectation> expectations() {
    return rules.stream().map(Rule::expectation).toList();
  }

  /**
   * Checks that every SQL expression resolves against the columns of {@code rows} and is boolean;
   * Spark only analyses, it runs no job. Throws a config error naming the file and line.
   */
  public void requireResolvable(Dataset<Row> rows) {
    for (Rule rule : rules) {
      if (!rule.sql()) {
        continue;
      }
      Expectation e = rule.expectation();
      DataType type;
      try {
        type = rows.select(rule.condition()).schema().fields()[0].dataType();
      } catch (Exception ex) {
        // AnalysisException is a checked exception that Scala code throws undeclared.
        throw Errors.expectationInvalid(
            e.source(), e.name(), e.expression(), table, Errors.firstLine(ex));
      }
      if (!(type instanceof BooleanType)) {
        throw Errors.expectationInvalid(
            e.source(),
            e.name(),
            e.expression(),
            table,
            "it is of type " + type.simpleString() + ", not boolean");
      }
    }
  }

  /**
   * Splits {@code rows} into kept and quarantined rows and counts every expectation, running one
   * aggregation over {@code rows}. A row is quarantined when it fails a {@code drop} expectation.
   */
  public CheckedRows apply(Dataset<Row> rows) {
    List<Column> failed = new ArrayList<>();
    List<Column> aggregates = new ArrayList<>();
    Column dropped = dropped();
    for (Rule rule : rules) {
      Column inScope = coalesce(rule.scope(), lit(false));
      Column holds = coalesce(rule.condition(), lit(false));
      Column fails = inScope.and(not(holds));
      failed.add(fails);
      aggregates.add(sum(when(inScope.and(holds), 1).otherwise(0)));
      aggregates.add(sum(when(fails, 1).otherwise(0)));
    }
    aggregates.add(sum(when(dropped, 1).otherwise(0)));
    Row totals = rows.agg(count(lit(1)), aggregates.toArray(Column[]::new)).first();

    List<ExpectationCounts> counts = new ArrayList<>();
    Map<Expectation, Dataset<Row>> failing = new LinkedHashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      Expectation e = rules.get(i).expectation();
      long failedRows = longAt(totals, 2 + 2 * i);
      counts.add(
          new ExpectationCounts(
              e.name(),
              e.action(),
              longAt(totals, 1 + 2 * i),
              failedRows,
              e.action() == ExpectationAction.DROP ? failedRows : 0));
      if (e.action() == ExpectationAction.FAIL && failedRows > 0) {
        failing.put(
            e, rows.filter(failed.get(i)).selectExpr(quoted(exampleColumns)).limit(EXAMPLES));
      }
    }
    long rowsIn = totals.getLong(0);
    long quarantined = longAt(totals, 1 + 2 * rules.size());
    List<Column> nameIfFailed = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      nameIfFailed.add(when(failed.get(i), lit(rules.get(i).expectation().name())));
    }
    Column names =
        nameIfFailed.isEmpty()
            ? array().cast("array<string>")
            : array_compact(array(nameIfFailed.toArray(Column[]::new)));
    QualityReport report = new QualityReport(rowsIn, rowsIn - quarantined, quarantined, counts);
    return new CheckedRows(
        rows.filter(not(dropped)),
        rows.filter(dropped).withColumn(FAILED_COLUMN, names),
        report,
        table,
        failing);
  }

  /**
   * The rows {@link #apply} would keep (those that fail no {@code drop} expectation), without
   * counting anything: no Spark job runs until the result is used.
   */
  public Dataset<Row> keptRows(Dataset<Row> rows) {
    return rows.filter(not(dropped()));
  }

  /** True for rows that fail a {@code drop} expectation. */
  private Column dropped() {
    Column dropped = lit(false);
    for (Rule rule : rules) {
      if (rule.expectation().action() == ExpectationAction.DROP) {
        Column inScope = coalesce(rule.scope(), lit(false));
        Column holds = coalesce(rule.condition(), lit(false));
        dropped = dropped.or(inScope.and(not(holds)));
      }
    }
    return dropped;
  }

  private static String[] quoted(List<String> columns) {
    return columns.stream().map(c -> "`" + c.replace("`", "``") + "`").toArray(String[]::new);
  }

  private static long longAt(Row row, int i) {
    return row.isNullAt(i) ? 0 : row.getLong(i);
  }
}
