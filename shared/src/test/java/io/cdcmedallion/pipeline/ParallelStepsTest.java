package io.cdcmedallion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.config.EntityConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Entities' steps side by side: every entity runs, results and failures in entity order. */
class ParallelStepsTest {
  private static final List<EntityConfig> ENTITIES =
      List.of(
          EntityConfig.of("customers", "id"),
          EntityConfig.of("orders", "id"),
          EntityConfig.of("items", "id"));

  @Test
  void stepsRunAtOnceAndResultsComeInEntityOrder() {
    // The entities finish in reverse order, each waiting for the next one's end: only steps
    // running at once get past the waits.
    CountDownLatch itemsDone = new CountDownLatch(1);
    CountDownLatch ordersDone = new CountDownLatch(1);
    List<String> finished = new CopyOnWriteArrayList<>();

    List<String> results =
        ParallelSteps.run(
            ENTITIES,
            true,
            e -> {
              boolean waited =
                  switch (e.name()) {
                    case "customers" -> await(ordersDone);
                    case "orders" -> await(itemsDone);
                    default -> true;
                  };
              finished.add(e.name());
              (e.name().equals("items") ? itemsDone : ordersDone).countDown();
              return e.name() + (waited ? " ran with the others" : " waited in vain");
            },
            (e, failure) -> {});

    assertThat(finished).containsExactly("items", "orders", "customers");
    assertThat(results)
        .containsExactly(
            "customers ran with the others",
            "orders ran with the others",
            "items ran with the others");
  }

  @Test
  void everyEntityRunsAndTheFirstFailureInEntityOrderIsThrown() {
    Map<String, String> reported = new ConcurrentHashMap<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    for (boolean together : new boolean[] {true, false}) {
      reported.clear();
      ran.clear();
      assertThatThrownBy(
              () ->
                  ParallelSteps.run(
                      ENTITIES,
                      together,
                      e -> {
                        ran.add(e.name());
                        if (!e.name().equals("orders")) {
                          throw new IllegalStateException(e.name() + " failed");
                        }
                        return e.name();
                      },
                      (e, failure) -> reported.put(e.name(), failure.getMessage())))
          .as("together: %s", together)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("customers failed");
      assertThat(ran)
          .as("together: %s", together)
          .hasSameElementsAs(List.of("customers", "orders", "items"));
      assertThat(reported)
          .as("together: %s", together)
          .isEqualTo(Map.of("customers", "customers failed", "items", "items failed"));
    }
  }

  @Test
  void notTogetherRunsOnTheCallingThreadInOrder() {
    Thread caller = Thread.currentThread();
    List<String> order = new CopyOnWriteArrayList<>();

    List<Boolean> onCaller =
        ParallelSteps.run(
            ENTITIES,
            false,
            e -> {
              order.add(e.name());
              return Thread.currentThread() == caller;
            },
            (e, failure) -> {});

    assertThat(onCaller).containsExactly(true, true, true);
    assertThat(order).containsExactly("customers", "orders", "items");
  }

  @Test
  void theSystemPropertySetsHowManyRunAtOnce() {
    String before = System.getProperty(ParallelSteps.PROPERTY);
    try {
      System.setProperty(ParallelSteps.PROPERTY, "1");
      assertThat(ParallelSteps.maxAtOnce()).isEqualTo(1);
      System.setProperty(ParallelSteps.PROPERTY, "0");
      assertThat(ParallelSteps.maxAtOnce()).isEqualTo(ParallelSteps.MAX_AT_ONCE);
      System.clearProperty(ParallelSteps.PROPERTY);
      assertThat(ParallelSteps.maxAtOnce()).isEqualTo(ParallelSteps.MAX_AT_ONCE);
    } finally {
      if (before == null) {
        System.clearProperty(ParallelSteps.PROPERTY);
      } else {
        System.setProperty(ParallelSteps.PROPERTY, before);
      }
    }
  }

  private static boolean await(CountDownLatch latch) {
    return await(latch, 10_000);
  }

  private static boolean await(CountDownLatch latch, long millis) {
    try {
      return latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
