package io.cdcmedallion.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.silver.IncrementalOptions;
import io.cdcmedallion.silver.IncrementalSilver;
import io.cdcmedallion.silver.SilverJob;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Why the benchmark's hand-written peer is not a fair stand-in for correctness: on two batches that
 * arrive out of order it leaves silver wrong, where incremental silver gets it right.
 */
class HandWrittenPeerTest extends BenchSparkTest {
  @Test
  void peerAppliesLateOlderEventsWhereIncrementalSilverKeepsTheNewerState() throws Exception {
    PipelineConfig config = BenchHistory.pipeline();
    EntityConfig entity = config.entities().get(0);
    TableName history = config.historyTable(entity);
    TableName silver = config.silverTable(entity);
    TableName peerSilver = new TableName(silver.catalog(), silver.schema(), "silver_peer");
    // Order 1 is shipped at LSN 20; order 2 exists since LSN 11.
    append(
        history,
        "(1, 'new', 10, 'insert')",
        "(1, 'new', 20, 'update_preimage')",
        "(1, 'shipped', 20, 'update_postimage')",
        "(2, 'new', 11, 'insert')");
    new SilverJob(spark, config).run(entity);
    IncrementalSilver incremental =
        new IncrementalSilver(spark, config, IncrementalOptions.availableNow(), b -> {});
    incremental.run(entity);
    HandWrittenPeer peer =
        new HandWrittenPeer(
            spark,
            history,
            peerSilver,
            BenchHistory.KEY,
            List.of(spark.table(silver.quoted()).columns()),
            lakehouse.resolve("peer-checkpoint").toString());
    long after = peer.initialize();

    // Batch 1: order 2 is deleted at LSN 30.
    append(history, "(2, 'new', 30, 'delete')");
    incremental.run(entity);
    peer.run(after);
    // Batch 2 arrives late with older changes: order 1 paid at LSN 15 (before it shipped at 20),
    // order 2 paid at LSN 25 (before its delete at 30).
    append(
        history,
        "(1, 'new', 15, 'update_preimage')",
        "(1, 'paid', 15, 'update_postimage')",
        "(2, 'new', 25, 'update_preimage')",
        "(2, 'paid', 25, 'update_postimage')");
    incremental.run(entity);
    peer.run(after);

    assertThat(statusByKey(silver)).containsExactly("1=shipped");
    assertThat(statusByKey(peerSilver)).containsExactly("1=paid", "2=paid");
  }

  private static void append(TableName history, String... events) {
    String values = String.join(", ", events);
    Tables.append(
        spark,
        spark.sql(
            "SELECT CAST(id AS BIGINT) AS id, CAST(id * 31 AS BIGINT) AS customer_id, status,"
                + " CAST(10.00 AS DECIMAL(12,2)) AS amount, 'note' AS note,"
                + " timestamp_seconds(lsn) AS updated_at, change AS _change_type,"
                + " CAST(lsn AS BIGINT) AS _lsn, timestamp_seconds(lsn) AS _commit_timestamp"
                + " FROM VALUES "
                + values
                + " AS t(id, status, lsn, change)"),
        history);
  }

  private static List<String> statusByKey(TableName table) {
    return spark.table(table.quoted()).orderBy("id").collectAsList().stream()
        .map((Row r) -> r.getAs("id") + "=" + r.getAs("status"))
        .toList();
  }
}
