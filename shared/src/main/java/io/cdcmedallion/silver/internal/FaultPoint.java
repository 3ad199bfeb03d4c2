package io.cdcmedallion.silver.internal;

/**
 * Where a test can make an incremental micro-batch fail, as a crash would: before its first write,
 * between the state and silver writes, and after silver's write but before Structured Streaming
 * commits the batch to the checkpoint.
 */
public enum FaultPoint {
  BEFORE_WRITE,
  BETWEEN_WRITES,
  BEFORE_CHECKPOINT_COMMIT;

  private static volatile FaultPoint armed;

  /** Makes the next micro-batch that reaches {@code point} fail once (tests only). */
  public static void failOnceAt(FaultPoint point) {
    armed = point;
  }

  /** Throws when a test armed this point; disarms it, so the replay goes through. */
  void reached() {
    if (armed == this) {
      armed = null;
      throw new IllegalStateException("injected fault at " + this);
    }
  }
}
