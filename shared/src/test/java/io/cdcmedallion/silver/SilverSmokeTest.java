package io.cdcmedallion.silver;

import static io.cdcmedallion.testing.History.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.testing.History;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilverSmokeTest extends SparkTestBase {
  @Test
  void latestEventWinsAndDeletesDisappear() {
    EntityConfig orders = EntityConfig.of("orders", "order_id");
    PipelineConfig config =
        new PipelineConfig(
            "test.yml", "main", "bronze", "silver", "gold", List.of(orders), List.of());
    History.cookbook("order_id INT, status STRING")
        .insert(10, 1, "new")
        .insert(11, 2, "new")
        .update(20, row(1, "new"), row(1, "paid"))
        .delete(30, 2, "new")
        .writeTo(spark, config.historyTable(orders));

    SilverResult result = new SilverJob(spark, config).run(orders);

    assertThat(result.currentRows()).isEqualTo(1);
    assertThat(result.historyRows()).isEqualTo(5);
    assertThat(result.ties()).isZero();
    assertThat(result.bronzeVersion()).hasValue(0);
    assertThat(rows("SELECT * FROM main.silver.silver_orders").toString()).isEqualTo("[[1,paid]]");
  }
}
