package io.cdcmedallion.sample;

import io.cdcmedallion.bronze.MetadataShape;
import java.util.Objects;

/**
 * What {@link ShopHistoryGenerator} should produce.
 *
 * @param scale thousands of orders in the initial history (1 to {@link #MAX_SCALE}); customers,
 *     products and batch sizes of {@link ShopHistoryGenerator#append} follow from it
 * @param seed seed of every pseudo-random choice; the same seed, scale and shape give the same
 *     tables
 * @param shape metadata columns to write
 */
public record GeneratorSettings(int scale, long seed, MetadataShape shape) {
  /**
   * Largest scale (50 million orders). Above it, keys would no longer fit the bits of the LSN
   * reserved for them and LSNs could repeat.
   */
  public static final int MAX_SCALE = 50_000;

  public GeneratorSettings {
    if (scale < 1 || scale > MAX_SCALE) {
      throw SampleErrors.sampleScaleOutOfRange(scale, MAX_SCALE);
    }
    Objects.requireNonNull(shape, "shape");
  }

  /** Orders in the initial history: {@code scale * 1000}. */
  public long orders() {
    return scale * 1000L;
  }

  /** Customers in the initial history: one per five orders. */
  public long customers() {
    return Math.max(1, orders() / 5);
  }

  /** Products in the initial history: one per fifty orders, at least 50. */
  public long products() {
    return Math.max(50, orders() / 50);
  }
}
