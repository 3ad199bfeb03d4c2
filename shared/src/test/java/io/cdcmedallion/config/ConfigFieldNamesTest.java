package io.cdcmedallion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.internal.Suggestions;
import io.cdcmedallion.errors.MedallionException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Misspelt field names, and AUTO CDC's names for our options; Spark is not started. */
class ConfigFieldNamesTest {
  private final ConfigLoader loader = new ConfigLoader(Set.of("gold_daily_order_summary"));

  private static final String ORDERS = "entities:\n  - name: orders\n    keys: [order_id]\n";

  private PipelineConfig parse(String yaml) {
    return loader.parse(yaml, "test.yml", path -> Optional.empty());
  }

  private static final String ENTITY_FIELDS =
      "expected fields apply_as_deletes, columns, except_columns, expectations, history_table,"
          + " ignore_null_updates, keys, name, on_invalid_rows, on_tie, scd, sequence_tie_break,"
          + " shape, silver_table, track_history_columns, track_history_except_columns";

  @Test
  void autoCdcNamesWithTheSameMeaningAreAcceptedAsAliases() {
    EntityConfig orders =
        parse(
                ORDERS
                    + """
                        stored_as_scd_type: 2
                        track_history_column_list: [status]
                        except_column_list: [secret]
                    """)
            .entities()
            .get(0);
    assertThat(orders.scd()).isEqualTo(ScdType.TYPE_2);
    assertThat(orders.trackHistory()).isEqualTo(TrackedColumns.only(List.of("status")));
    assertThat(orders.cdc().exceptColumns()).containsExactly("secret");

    EntityConfig items =
        parse(
                ORDERS
                    + "    stored_as_scd_type: 2\n"
                    + "    track_history_except_column_list: [note]\n"
                    + "    column_list: [status, note]\n")
            .entities()
            .get(0);
    assertThat(items.trackHistory()).isEqualTo(TrackedColumns.except(List.of("note")));
    assertThat(items.cdc().columns()).containsExactly("status", "note");
  }

  @Test
  void messagesAboutAnAliasNameItAsWritten() {
    assertThatThrownBy(() -> parse(ORDERS + "    stored_as_scd_type: 3\n"))
        .isInstanceOf(MedallionException.class)
        .hasMessage("test.yml:4: entities[0].stored_as_scd_type is '3'; expected one of 1, 2.");
    assertThatThrownBy(() -> parse(ORDERS + "    track_history_column_list: [status]\n"))
        .hasMessage(
            "test.yml:4: entities[0].track_history_column_list is set, but entity history is kept only with scd: 2; expected 'scd: 2' on this entity, or no track_history_column_list.");
  }

  @Test
  void anOptionGivenUnderBothNamesIsRejected() {
    assertThatThrownBy(() -> parse(ORDERS + "    scd: 2\n    stored_as_scd_type: 2\n"))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "test.yml:5: entities[0].stored_as_scd_type is the same option as scd, given above; expected one of the two.");
  }

  @Test
  void autoCdcOptionsWithoutACounterpartAreExplained() {
    assertThatThrownBy(() -> parse(ORDERS + "    sequence_by: updated_at\n"))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "test.yml:4: entities[0].sequence_by is an AUTO CDC option; here the sequence is the history table's LSN (_lsn or _pg_lsn); expected no sequence_by (did you mean 'sequence_tie_break' for columns that order events sharing one LSN?).");
    assertThatThrownBy(() -> parse(ORDERS + "    target: silver_orders\n"))
        .hasMessage(
            "test.yml:4: entities[0].target is an AUTO CDC option; here the silver table is named after the entity; expected no target (did you mean 'silver_table'?).");
    assertThatThrownBy(() -> parse(ORDERS + "    source: lb_orders_history\n"))
        .hasMessage(
            "test.yml:4: entities[0].source is an AUTO CDC option; here the bronze table is lb_<name>_history; expected no source (did you mean 'history_table'?).");
    assertThatThrownBy(() -> parse(ORDERS + "    apply_as_truncates: \"op = 'T'\"\n"))
        .hasMessage(
            "test.yml:4: entities[0].apply_as_truncates is an AUTO CDC option that is not supported here; expected no apply_as_truncates (use apply_as_deletes for soft deletes).");
    assertThatThrownBy(() -> parse(ORDERS + "    ignore_null_updates_column_list: [note]\n"))
        .hasMessage(
            "test.yml:4: entities[0].ignore_null_updates_column_list is an AUTO CDC option that is not supported here; expected ignore_null_updates: true, which applies to every column.");
  }

  @Test
  void unknownFieldsSuggestTheClosestKnownName() {
    assertThatThrownBy(() -> parse(ORDERS + "    track_history_colums: [status]\n"))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "test.yml:4: entities[0].track_history_colums is not a known field; "
                + ENTITY_FIELDS
                + " (did you mean 'track_history_columns'?).");
    assertThatThrownBy(() -> parse(ORDERS + "    Keys: [order_id]\n"))
        .hasMessageEndingWith(" (did you mean 'keys'?).");
    assertThatThrownBy(() -> parse(ORDERS + "    except_column_lists: [a]\n"))
        .as("a misspelt alias suggests the option's own name")
        .hasMessageEndingWith(" (did you mean 'except_columns'?).");
    assertThatThrownBy(() -> parse("schemas: {silvr: s}\n" + ORDERS))
        .hasMessage(
            "test.yml:1: schemas.silvr is not a known field; expected fields bronze, gold, run_log, silver (did you mean 'silver'?).");
    assertThatThrownBy(
            () ->
                parse(
                    ORDERS
                        + "gold:\n  - name: gold_daily_order_summary\n"
                        + "    expectations:\n      - {name: a, expr: x > 1, acton: drop}\n"))
        .hasMessage(
            "test.yml:7: gold[0].expectations[0].acton is not a known field; expected fields action, expr, name (did you mean 'action'?).");
  }

  @Test
  void unknownFieldsFarFromEveryNameGetNoSuggestion() {
    assertThatThrownBy(() -> parse(ORDERS + "    owner: sales\n"))
        .isInstanceOf(MedallionException.class)
        .hasMessage("test.yml:4: entities[0].owner is not a known field; " + ENTITY_FIELDS + ".");
  }

  @Test
  void suggestionsAllowMoreEditsForLongerNames() {
    List<String> known = List.of("keys", "name", "entities", "track_history_columns");
    assertThat(Suggestions.closest("kyes", known)).as("a swap is one edit").contains("keys");
    assertThat(Suggestions.closest("nmae", known)).contains("name");
    assertThat(Suggestions.closest("kes", known)).contains("keys");
    assertThat(Suggestions.closest("ks", known)).as("two edits on a short name").isEmpty();
    assertThat(Suggestions.closest("entiteis", known)).contains("entities");
    assertThat(Suggestions.closest("entitys", known)).contains("entities");
    assertThat(Suggestions.closest("trak_history_column", known)).contains("track_history_columns");
    assertThat(Suggestions.closest("gold", known)).isEmpty();
  }
}
