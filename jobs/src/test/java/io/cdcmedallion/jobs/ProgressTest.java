package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.lakehouse.TableName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Progress lines and the terminal status line, with a fake clock and fake stages; no Spark. */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  private final AtomicLong now = new AtomicLong(1_000L);
  private final AtomicReference<Progress.Stages> stages =
      new AtomicReference<>(Progress.Stages.UNKNOWN);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void advanceSeconds(double seconds) {
    now.addAndGet((long) (seconds * 1e9));
  }

  private Progress progress(boolean terminal) {
    return new Progress(console, "generate", now::get, stages::get, terminal);
  }

  @Test
  void outsideATerminalAProgressLineIsPrintedEveryFifteenSeconds() {
    Progress progress = progress(false);
    advanceSeconds(14.9);
    progress.tick();
    assertThat(printed()).as("nothing for short work").isEmpty();

    advanceSeconds(0.1);
    stages.set(new Progress.Stages(2, 400, 137));
    progress.tick();
    advanceSeconds(10);
    progress.tick();
    advanceSeconds(5);
    stages.set(new Progress.Stages(1, 1200, 1150));
    progress.tick();
    advanceSeconds(60);
    stages.set(Progress.Stages.UNKNOWN);
    progress.tick();

    assertThat(printed().lines().toList())
        .containsExactly(
            "[generate] running 15 s: 2 stages, 137 of 400 tasks done",
            "[generate] running 30 s: 1 stage, 1,150 of 1,200 tasks done",
            "[generate] running 1 min 30 s");
  }

  @Test
  void inATerminalOneStatusLineIsRewrittenAndClearedBeforeTheNextProgressLine() {
    Progress progress = progress(true);
    advanceSeconds(2);
    progress.tick();
    assertThat(printed()).isEmpty();

    advanceSeconds(1);
    stages.set(new Progress.Stages(1, 200, 5));
    progress.tick();
    advanceSeconds(0.5);
    progress.tick(); // less than a second later: not rewritten
    advanceSeconds(0.5);
    stages.set(Progress.Stages.UNKNOWN);
    progress.tick();
    console.step("generate", "orders done");
    progress.close();

    String first = "[generate] running 3 s: 1 stage, 5 of 200 tasks done";
    String second = "[generate] running 4 s";
    assertThat(printed())
        .isEqualTo(
            "\r"
                + first
                + "\r"
                + second
                + " ".repeat(first.length() - second.length())
                + "\r"
                + " ".repeat(second.length())
                + "\r"
                + "[generate] orders done"
                + System.lineSeparator());
  }

  @Test
  void aFailingStageSourceStillShowsTheTime() {
    Progress progress =
        new Progress(
            console,
            "silver",
            now::get,
            () -> {
              throw new IllegalStateException("no status tracker");
            },
            false);
    advanceSeconds(20);
    progress.tick();
    assertThat(printed()).isEqualTo("[silver]  running 20 s" + System.lineSeparator());
  }

  @Test
  void aSessionWithoutAStatusTrackerReportsNoStages() {
    assertThat(Progress.sparkStages(null).running()).isEqualTo(Progress.Stages.UNKNOWN);
  }

  @Test
  void startLinesNameTheEntityAndTheTargetTable() {
    console.started("silver", "orders", new TableName("main", "silver", "silver_orders"));
    assertThat(printed())
        .isEqualTo(
            "[silver]  orders       started -> main.silver.silver_orders" + System.lineSeparator());
  }
}
