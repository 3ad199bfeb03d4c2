package io.cdcmedallion.sample;

import io.cdcmedallion.bronze.MetadataShape;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link ShopHistoryGenerator#generate} or {@link ShopHistoryGenerator#append} run wrote.
 *
 * @param rowsWrittenPerEntity history rows written per entity, in the order customers, products,
 *     orders, order_items
 * @param totalRows sum of {@code rowsWrittenPerEntity}
 * @param shape metadata shape of the tables
 * @param commitsPerTable Delta commits each table received (the history is written in several
 *     commits, some out of LSN order)
 * @param elapsed wall-clock time of the run
 */
public record GenerateResult(
    Map<String, Long> rowsWrittenPerEntity,
    long totalRows,
    MetadataShape shape,
    int commitsPerTable,
    Duration elapsed) {

  public GenerateResult {
    rowsWrittenPerEntity = Collections.unmodifiableMap(new LinkedHashMap<>(rowsWrittenPerEntity));
    long sum = rowsWrittenPerEntity.values().stream().mapToLong(Long::longValue).sum();
    if (sum != totalRows) {
      throw new IllegalArgumentException(
          "totalRows " + totalRows + " does not match the per-entity rows " + rowsWrittenPerEntity);
    }
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
