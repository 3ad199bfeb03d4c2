package io.cdcmedallion.quality;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The expectations transform on small Datasets: nothing is written. */
class ExpectationsTest extends SparkTestBase {
  private static Dataset<Row> orders() {
    return spark.sql(
        "SELECT * FROM VALUES"
            + " (1, 'paid', 10.00, 'insert'),"
            + " (2, 'paid', -5.00, 'insert'),"
            + " (3, 'lost', 20.00, 'update_postimage'),"
            + " (4, 'lost', -1.00, 'update_postimage'),"
            + " (5, 'paid', CAST(NULL AS DECIMAL(4,2)), 'insert'),"
            + " (6, 'lost', -9.00, 'delete')"
            + " AS t(order_id, status, total, kind)");
  }

  private static Expectation expectation(String name, String expr, ExpectationAction action) {
    return new Expectation(name, expr, action, "shop.yml:7");
  }

  @Test
  void warnKeepsDropQuarantinesAndEachIsCountedInScopeWithNullAsAFailure() {
    Expectations checks =
        Expectations.on("main.bronze.lb_orders_history", List.of("order_id"))
            .with(
                List.of(
                    expectation("non_negative_total", "total >= 0", ExpectationAction.DROP),
                    expectation("known_status", "status IN ('paid')", ExpectationAction.WARN)),
                // Like silver: deletes are neither checked nor dropped.
                col("kind").notEqual("delete"));

    CheckedRows checked = checks.apply(orders());

    assertThat(checked.report())
        .isEqualTo(
            new QualityReport(
                6,
                3,
                3,
                List.of(
                    new ExpectationCounts("non_negative_total", ExpectationAction.DROP, 2, 3, 3),
                    new ExpectationCounts("known_status", ExpectationAction.WARN, 3, 2, 0))));
    assertThat(checked.kept().orderBy("order_id").collectAsList().toString())
        .isEqualTo(
            "[[1,paid,10.00,insert], [3,lost,20.00,update_postimage], [6,lost,-9.00,delete]]");
    assertThat(checked.quarantined().columns())
        .containsExactly("order_id", "status", "total", "kind", Expectations.FAILED_COLUMN);
    assertThat(checked.quarantined().orderBy("order_id").collectAsList().toString())
        .isEqualTo(
            "[[2,paid,-5.00,insert,ArraySeq(non_negative_total)],"
                + " [4,lost,-1.00,update_postimage,ArraySeq(non_negative_total, known_status)],"
                + " [5,paid,null,insert,ArraySeq(non_negative_total)]]");
    checked.requireNoFailures();
  }

  @Test
  void failNamesTheExpectationTheTableAndAtMostFiveFailingKeys() {
    Dataset<Row> many =
        spark.range(1, 9).toDF("order_id").selectExpr("order_id", "order_id % 4 AS r");
    Expectations checks =
        Expectations.on("main.gold.totals", List.of("order_id"))
            .with(
                List.of(
                    expectation("some_warning", "r <> 1", ExpectationAction.WARN),
                    expectation("no_zero_remainder", "r <> 0", ExpectationAction.FAIL),
                    expectation("small", "order_id < 3", ExpectationAction.FAIL)));

    CheckedRows checked = checks.apply(many);

    assertThat(checked.report().failures())
        .extracting(ExpectationCounts::name)
        .containsExactly("no_zero_remainder", "small");
    assertThatThrownBy(checked::requireNoFailures)
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "Expectation 'no_zero_remainder' (r <> 0) failed on 2 of 8 rows of main.gold.totals"
                + " (e.g. order_id=4, order_id=8); the run stopped before writing anything."
                + " Fix those rows at the source, or set 'action: warn' or 'action: drop' for it"
                + " at shop.yml:7.");
    CheckedRows onlySmall =
        Expectations.on("t", List.of("order_id"))
            .with(List.of(expectation("small", "order_id < 3", ExpectationAction.FAIL)))
            .apply(many);
    assertThatThrownBy(onlySmall::requireNoFailures)
        .hasMessageContaining(
            "failed on 6 of 8 rows of t (e.g. order_id=3, order_id=4, order_id=5, order_id=6,"
                + " order_id=7);");
  }

  @Test
  void anUnknownColumnOrANonBooleanExpressionIsAConfigErrorAtTheDeclaringLine() {
    Expectations unknown =
        Expectations.on("main.bronze.lb_orders_history", List.of("order_id"))
            .with(List.of(expectation("amount_set", "amount > 0", ExpectationAction.WARN)));
    assertThatThrownBy(() -> unknown.requireResolvable(orders()))
        .isInstanceOf(MedallionException.class)
        .satisfies(
            e ->
                assertThat(((MedallionException) e).kind())
                    .isEqualTo(MedallionException.Kind.CONFIG))
        .hasMessageStartingWith(
            "shop.yml:7: expectation 'amount_set' (amount > 0) cannot be checked on"
                + " main.bronze.lb_orders_history: [UNRESOLVED_COLUMN.WITH_SUGGESTION]")
        .hasMessageContaining("`amount`")
        .hasMessageEndingWith(
            "Fix 'expr' there: a boolean Spark SQL expression over the table's columns.");

    Expectations notBoolean =
        Expectations.on("t", List.of("order_id"))
            .with(List.of(expectation("total_only", "total + 1", ExpectationAction.WARN)));
    assertThatThrownBy(() -> notBoolean.requireResolvable(orders()))
        .hasMessage(
            "shop.yml:7: expectation 'total_only' (total + 1) cannot be checked on t: it is of"
                + " type decimal(5,2), not boolean. Fix 'expr' there: a boolean Spark SQL"
                + " expression over the table's columns.");
  }

  @Test
  void reportsOfMicroBatchesAddUpByExpectation() {
    QualityReport first =
        new QualityReport(
            3, 2, 1, List.of(new ExpectationCounts("a", ExpectationAction.DROP, 2, 1, 1)));
    QualityReport second =
        new QualityReport(
            4,
            4,
            0,
            List.of(
                new ExpectationCounts("a", ExpectationAction.DROP, 4, 0, 0),
                new ExpectationCounts("b", ExpectationAction.WARN, 3, 1, 0)));

    assertThat(first.plus(second))
        .isEqualTo(
            new QualityReport(
                7,
                6,
                1,
                List.of(
                    new ExpectationCounts("a", ExpectationAction.DROP, 6, 1, 1),
                    new ExpectationCounts("b", ExpectationAction.WARN, 3, 1, 0))));
  }
}
