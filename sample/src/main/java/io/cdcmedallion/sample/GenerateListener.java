package io.cdcmedallion.sample;

import io.cdcmedallion.lakehouse.TableName;

/** Progress of {@link ShopHistoryGenerator}; every method has a no-op default. */
public interface GenerateListener {
  /**
   * The generator starts computing and writing the history of one entity (the four entities are
   * written at the same time).
   */
  default void started(String entity, TableName table) {}

  /** A listener that ignores everything. */
  static GenerateListener none() {
    return new GenerateListener() {};
  }
}
