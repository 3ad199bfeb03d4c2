package io.cdcmedallion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchMainTest {
  @Test
  void helpIsAFlagNotAnOptionWaitingForAValue() {
    assertThat(BenchMain.options(new String[] {"--help"})).containsEntry("help", "true");
    assertThat(BenchMain.options(new String[] {"--sizes", "1m", "-h"}))
        .containsEntry("sizes", "1m")
        .containsEntry("help", "true");
  }

  @Test
  void aMisspelledOptionIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> BenchMain.options(new String[] {"--size", "1m"}))
        .hasMessage(
            "unknown option --size; known: --sizes, --runs, --variants, --out, --regenerate,"
                + " --help");
    assertThatThrownBy(() -> BenchMain.options(new String[] {"--runs"}))
        .hasMessage("--runs needs a value");
  }
}
