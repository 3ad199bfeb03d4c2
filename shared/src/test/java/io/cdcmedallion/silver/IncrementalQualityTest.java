package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.ConfigLoader;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.gold.BuiltinGoldTables;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.pipeline.MedallionPipeline;
import io.cdcmedallion.pipeline.PipelineListener;
import io.cdcmedallion.silver.internal.FaultPoint;
import io.cdcmedallion.testing.History;
import io.cdcmedallion.testing.SparkTestBase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Expectations in incremental silver: checked per micro-batch, dropped rows quarantined once even
 * when a batch is replayed after a crash, counts summed per run in the run log.
 */
class IncrementalQualityTest extends SparkTestBase {
  private static final String DDL = "order_id INT, status STRING, total DECIMAL(6,2)";
  private static final TableName BRONZE = new TableName("main", "bronze", "lb_orders_history");
  private static final TableName SILVER = new TableName("main", "silver", "silver_orders");
  private static final TableName QUARANTINE = new TableName("main", "silver", "quarantine_orders");
  private static final TableName RUN_LOG = new TableName("main", "gold", "_medallion_runs");

  private static final PipelineConfig CONFIG =
      new ConfigLoader(BuiltinGoldTables.names())
          .parse(
              """
              entities:
                - name: orders
                  keys: [order_id]
                  expectations:
                    - {name: non_negative_total, expr: total >= 0, action: drop}
              """,
              "shop.yml",
              path -> Optional.empty());

  private static BigDecimal dec(int value) {
    return new BigDecimal(value).setScale(2);
  }

  private static List<String> strings(String sql) {
    return rows(sql).stream().map(Row::toString).toList();
  }

  private static MedallionPipeline incremental() {
    MedallionPipeline pipeline =
        MedallionPipeline.logged(spark, CONFIG, PipelineListener.none(), "silver");
    pipeline.silverIncremental(Optional.empty(), IncrementalOptions.availableNow(), false);
    return pipeline;
  }

  @Test
  void droppedRowsOfAReplayedBatchAreQuarantinedOnceAndCountedPerRun() {
    History.cookbook(DDL)
        .insert(1, 1, "new", dec(10))
        .insert(2, 2, "new", dec(-5))
        .writeTo(spark, BRONZE);
    // The first incremental run has no state yet: it rebuilds from all history.
    incremental();
    assertThat(strings("SELECT * FROM " + SILVER.quoted())).containsExactly("[1,new,10.00]");

    Tables.append(
        spark,
        History.cookbook(DDL)
            .update(3, row(1, "new", dec(10)), row(1, "paid", dec(-1)))
            .insert(4, 3, "new", dec(4))
            .toDataset(spark),
        BRONZE);
    IncrementalSilver.failOnceAt(FaultPoint.BETWEEN_WRITES);
    assertThatThrownBy(IncrementalQualityTest::incremental)
        .hasMessageContaining("injected fault at BETWEEN_WRITES");
    String runId = incremental().run().runId();

    // The dropped update leaves order 1 as it was, as in a full refresh.
    assertThat(strings("SELECT * FROM " + SILVER.quoted() + " ORDER BY order_id"))
        .containsExactly("[1,new,10.00]", "[3,new,4.00]");
    assertThat(
            strings(
                "SELECT order_id, _change_type, _failed_expectations FROM "
                    + QUARANTINE.quoted()
                    + " ORDER BY _lsn"))
        .as("each dropped row once, although the second batch ran twice")
        .containsExactly(
            "[2,insert,ArraySeq(non_negative_total)]",
            "[1,update_postimage,ArraySeq(non_negative_total)]");
    assertThat(
            strings(
                "SELECT mode, status, rows_in, rows_out, rows_quarantined FROM "
                    + RUN_LOG.quoted()
                    + " WHERE run_id = '"
                    + runId
                    + "'"))
        .as("the rerun's batch: 3 bronze rows in, 1 quarantined, 1 silver row upserted")
        .containsExactly("[incremental,succeeded,3,1,1]");
    assertThat(
            strings(
                "SELECT mode, status FROM "
                    + RUN_LOG.quoted()
                    + " WHERE status = 'failed' AND mode = 'incremental'"))
        .containsExactly("[incremental,failed]");
  }
}
