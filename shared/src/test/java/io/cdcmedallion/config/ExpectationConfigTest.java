package io.cdcmedallion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.gold.BuiltinGoldTables;
import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.quality.ExpectationAction;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code expectations:} lists and {@code schemas.run_log}; Spark is not started. */
class ExpectationConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Set.of("gold_daily_order_summary"));

  private PipelineConfig parse(String yaml) {
    return loader.parse(yaml, "shop.yml", path -> Optional.of("SELECT 1 AS n"));
  }

  private static final String ORDERS =
      """
      entities:
        - name: orders
          keys: [order_id]
          expectations:
      """;

  @Test
  void schemaAndCatalogOverridesKeepTheExpectations() {
    PipelineConfig config =
        parse(ORDERS + "      - {name: positive, expr: total_amount > 0, action: drop}\n");

    PipelineConfig moved = config.withSchemas("b", "s", "g").withCatalog("dev");

    assertThat(moved.quality()).isEqualTo(config.quality());
    assertThat(moved.quality().forEntity("orders")).hasSize(1);
    assertThat(moved.silverSchema()).isEqualTo("s");
  }

  @Test
  void expectationsOfEntitiesAndGoldTablesKeepTheirLineForMessages() {
    PipelineConfig config =
        parse(
            """
            schemas:
              run_log: ops
            entities:
              - name: orders
                keys: [order_id]
                expectations:
                  - name: non_negative_total
                    expr: total_amount >= 0
                    action: drop
                  - name: known_status
                    expr: "status IN ('paid', 'shipped')"
            gold:
              - name: gold_daily_order_summary
                expectations:
                  - {name: has_orders, expr: order_count > 0, action: fail}
            """);

    assertThat(config.quality().forEntity("orders"))
        .containsExactly(
            new Expectation(
                "non_negative_total", "total_amount >= 0", ExpectationAction.DROP, "shop.yml:8"),
            new Expectation(
                "known_status",
                "status IN ('paid', 'shipped')",
                ExpectationAction.WARN,
                "shop.yml:11"));
    assertThat(config.quality().forGold("gold_daily_order_summary"))
        .containsExactly(
            new Expectation(
                "has_orders", "order_count > 0", ExpectationAction.FAIL, "shop.yml:15"));
    assertThat(config.runLogTable().toString()).isEqualTo("main.ops._medallion_runs");
    assertThat(config.goldQuarantineTable("gold_daily_order_summary").toString())
        .isEqualTo("main.gold.quarantine_gold_daily_order_summary");
    assertThat(config.withCatalog("dev").quality()).isEqualTo(config.quality());
  }

  @Test
  void runLogDefaultsToTheGoldSchema() {
    PipelineConfig config =
        parse("schemas: {gold: marts}\n" + ORDERS + "      - {name: a, expr: x > 1}\n");
    assertThat(config.runLogTable().toString()).isEqualTo("main.marts._medallion_runs");
  }

  @Test
  void aSyntaxErrorIsReportedAtTheExpressionLineBeforeSparkStarts() {
    assertThatThrownBy(
            () -> parse(ORDERS + "      - name: bad\n        expr: total_amount >= AND 0\n"))
        .isInstanceOf(MedallionException.class)
        .hasMessageStartingWith(
            "shop.yml:6: entities[0].expectations[0].expr is not a valid SQL expression (")
        .hasMessageEndingWith("; expected a boolean Spark SQL expression, e.g. total_amount >= 0.");
  }

  @Test
  void badActionsNamesAndMissingFieldsAreConfigErrors() {
    assertThatThrownBy(() -> parse(ORDERS + "      - {name: a, expr: x > 1, action: quarantine}\n"))
        .hasMessage(
            "shop.yml:5: entities[0].expectations[0].action is 'quarantine'; expected one of warn, drop, fail.");
    assertThatThrownBy(() -> parse(ORDERS + "      - {name: a}\n"))
        .hasMessage(
            "shop.yml:5: entities[0].expectations[0].expr is missing; expected a boolean Spark SQL expression, e.g. total_amount >= 0.");
    assertThatThrownBy(() -> parse(ORDERS + "      - {name: a, expr: x > 1, on: y}\n"))
        .hasMessage(
            "shop.yml:5: entities[0].expectations[0].on is not a known field; expected fields action, expr, name.");
    assertThatThrownBy(
            () ->
                parse(ORDERS + "      - {name: a, expr: x > 1}\n      - {name: a, expr: x > 2}\n"))
        .hasMessage(
            "shop.yml:6: entities[0].expectations[1].name repeats expectation 'a'; expected each expectation name once per table.");
    assertThatThrownBy(() -> parse(ORDERS + "      - {name: contract_null_key, expr: x > 1}\n"))
        .hasMessage(
            "shop.yml:5: entities[0].expectations[0].name is 'contract_null_key', but names starting with 'contract_' are reserved; expected another name (the contract checks are set with on_invalid_rows).");
    assertThatThrownBy(() -> parse(ORDERS + "      - {name: a, expr: '  '}\n"))
        .hasMessage(
            "shop.yml:5: entities[0].expectations[0].expr is not a valid SQL expression (it is empty); expected a boolean Spark SQL expression, e.g. total_amount >= 0.");
  }

  @Test
  void theSamplePipelineDeclaresAWarnAndADropExpectationOnOrders() {
    PipelineConfig sample = new ConfigLoader(BuiltinGoldTables.names()).loadSample();
    assertThat(sample.quality().forEntity("orders"))
        .extracting(Expectation::action)
        .contains(ExpectationAction.WARN, ExpectationAction.DROP);
  }
}
