package io.cdcmedallion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementTest {
  @Test
  void resultLineRoundTripsBetweenWorkerAndHarness() {
    Measurement m =
        new Measurement(
            Variant.SILVER_FULL,
            1_000_000,
            95_000,
            9_000,
            12_000,
            List.of(7, 5, 6).stream().map(Long::valueOf).toList(),
            2_048_000);

    Measurement parsed = Measurement.parse(m.toLine());

    assertThat(parsed).isEqualTo(m);
    assertThat(parsed.warmMedianMillis()).isEqualTo(6);
  }

  @Test
  void warmMedianAveragesTheMiddleTwoAndFallsBackToTheColdRun() {
    Measurement even =
        new Measurement(Variant.DUCKDB, 10, 1, 0, 100, List.of(40L, 10L, 20L, 30L), 1);
    Measurement single = new Measurement(Variant.DUCKDB, 10, 1, 0, 100, List.of(), 1);

    assertThat(even.warmMedianMillis()).isEqualTo(25);
    assertThat(single.warmMedianMillis()).isEqualTo(100);
    assertThat(even.rowsPerSecond()).isEqualTo(400.0);
  }

  @Test
  void sizesReadWithSuffixes() {
    assertThat(BenchMain.parseSize("100m")).isEqualTo(100_000_000);
    assertThat(BenchMain.parseSize("250k")).isEqualTo(250_000);
    assertThat(BenchMain.sizeLabel(10_000_000)).isEqualTo("10m");
  }

  @Test
  void unknownVariantNamesTheKnownOnes() {
    assertThatThrownBy(() -> Variant.fromCli("spark"))
        .hasMessage(
            "Unknown benchmark variant 'spark'; expected one of [generate, cookbook-spark,"
                + " silver-full, duckdb, gold, incremental, incremental-realistic, peer]");
  }
}
