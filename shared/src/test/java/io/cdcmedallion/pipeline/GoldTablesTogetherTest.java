package io.cdcmedallion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.config.GoldTableConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gold tables are built side by side unless a SQL gold table names another configured one ({@link
 * MedallionPipeline#readsAnother}): then one after another, in config order.
 */
class GoldTablesTogetherTest {
  private static final GoldTableConfig DAILY = GoldTableConfig.builtin("gold_daily");
  private static final GoldTableConfig REGIONS =
      GoldTableConfig.ofSql(
          "gold_regions",
          "SELECT region, COUNT(*) AS n FROM silver_customers GROUP BY region",
          "gold_regions.sql");

  @Test
  void tablesReadingOnlySilverAreIndependent() {
    assertThat(MedallionPipeline.readsAnother(List.of(DAILY, REGIONS))).isFalse();
  }

  @Test
  void aSqlTableNamingAnotherGoldTableInAnyCaseOrQuotingIsNot() {
    for (String from :
        List.of("main.gold.gold_daily", "gold.GOLD_DAILY", "`main`.`gold`.`gold_daily`")) {
      GoldTableConfig top =
          GoldTableConfig.ofSql("gold_top", "SELECT * FROM " + from + " LIMIT 3", "gold_top.sql");
      assertThat(MedallionPipeline.readsAnother(List.of(DAILY, REGIONS, top))).as(from).isTrue();
    }
  }

  @Test
  void aLongerNameStartingWithAGoldTablesNameIsNotThatTable() {
    GoldTableConfig weekly =
        GoldTableConfig.ofSql(
            "gold_weekly",
            "SELECT * FROM silver_orders JOIN silver_gold_daily_rates USING (order_id)",
            "gold_weekly.sql");
    assertThat(MedallionPipeline.readsAnother(List.of(DAILY, weekly))).isFalse();
  }

  @Test
  void aSqlTableNamingItselfReadsNoOther() {
    GoldTableConfig self =
        GoldTableConfig.ofSql(
            "gold_self", "SELECT 1 AS gold_self FROM silver_orders", "gold_self.sql");
    assertThat(MedallionPipeline.readsAnother(List.of(DAILY, self))).isFalse();
  }
}
