package io.cdcmedallion.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.silver.IncrementalOptions;
import io.cdcmedallion.silver.IncrementalResult;
import io.cdcmedallion.silver.IncrementalSilver;
import io.cdcmedallion.silver.SilverJob;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the per-step timings name the Spark SQL executions of a run. */
class StepTimesTest extends BenchSparkTest {
  private static final String BATCH =
      "silver_incremental_bench\nid = 8f0c\nrunId = 75d2\nbatch = 1 - MERGE operation";

  @Test
  void theStepsOfAMicroBatchAreNamedByTheirTags() throws Exception {
    PipelineConfig config = BenchHistory.pipeline();
    EntityConfig entity = config.entities().get(0);
    BenchHistory.write(spark, config, 1_000);
    new SilverJob(spark, config).run(entity);
    IncrementalSilver incremental =
        new IncrementalSilver(spark, config, IncrementalOptions.availableNow(), b -> {});
    incremental.run(entity);
    BenchHistory.appendRealisticChanges(spark, config, 1_000, 1.0, 1);
    StepTimes steps = StepTimes.on(spark);

    IncrementalResult result = incremental.run(entity);
    spark.sparkContext().listenerBus().waitUntilEmpty(10_000);

    assertThat(result.batches()).isEqualTo(1L);
    assertThat(result.upserted() + result.deleted())
        .as("silver rows the batch changed")
        .isPositive();
    assertThat(steps.summary(0))
        .contains("micro-batch read-batch", "micro-batch merge-state", "micro-batch merge-silver");
  }

  @Test
  void aMicroBatchStepIsNamedByItsTagAndACallSiteByItself() {
    assertThat(StepTimes.name(BATCH, Set.of("spark-session-1b2c-cdcm-step-merge-state")))
        .isEqualTo("micro-batch merge-state");
    assertThat(StepTimes.name("saveAsTable at Tables.java:36", Set.of()))
        .isEqualTo("saveAsTable at Tables.java:36");
  }

  @Test
  void anExecutionWithNeitherIsNotAStep() {
    assertThat(StepTimes.name(BATCH, Set.of("spark-session-1b2c-other"))).isNull();
    assertThat(StepTimes.name("Delta: Compute snapshot for version: 3", Set.of())).isNull();
  }
}
