package io.cdcmedallion.pipeline;

import io.cdcmedallion.bronze.BronzeHistory;
import io.cdcmedallion.config.CdcOptions;
import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.gold.GoldJob;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.SilverExpectations;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Checks every expectation and every entity's AUTO CDC options of a config against the tables that
 * exist (bronze history for entities, the planned gold rows for gold tables) without reading data;
 * runs do the same check per table.
 */
public final class ExpectationCheck {
  private ExpectationCheck() {}

  /**
   * Throws the config error of the first expression that does not resolve.
   *
   * @return the entities and gold tables that were skipped because a table they need is missing
   */
  public static List<String> againstTables(SparkSession spark, PipelineConfig config) {
    List<String> skipped = new ArrayList<>();
    for (EntityConfig e : config.entities()) {
      if (config.quality().forEntity(e.name()).isEmpty() && e.cdc().equals(CdcOptions.NONE)) {
        continue;
      }
      if (!Tables.exists(spark, config.historyTable(e))) {
        skipped.add(e.name());
        continue;
      }
      // Reading the history also checks the AUTO CDC options against the table.
      BronzeHistory history = BronzeHistory.read(spark, config, e);
      SilverExpectations.of(config, e, history).requireResolvable(history.rows());
    }
    GoldJob gold = new GoldJob(spark, config);
    for (GoldTableConfig g : config.gold()) {
      if (config.quality().forGold(g.name()).isEmpty()) {
        continue;
      }
      try {
        gold.checkExpectations(g);
      } catch (MedallionException ex) {
        if (ex.kind() != MedallionException.Kind.TABLE) {
          throw ex;
        }
        skipped.add(g.name());
      }
    }
    return skipped;
  }
}
