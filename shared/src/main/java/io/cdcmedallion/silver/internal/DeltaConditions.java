package io.cdcmedallion.silver.internal;

import org.apache.spark.SparkThrowable;

/**
 * Recognises the Delta streaming source's errors by their error condition ({@link
 * SparkThrowable#getCondition()}), anywhere in a cause chain: Structured Streaming wraps the
 * source's error in {@code STREAM_FAILED}, and Spark Connect clients rebuild it with its condition.
 */
final class DeltaConditions {
  /** Bronze gained a column: the source stops once and asks for a restart. */
  static final String SCHEMA_CHANGED = "DELTA_SCHEMA_CHANGED";

  /** An incompatible schema change (Delta's wording for a rename, drop or retype mid-stream). */
  static final String INCOMPATIBLE_SCHEMA_CHANGE = "DELTA_STREAMING_INCOMPATIBLE_SCHEMA_CHANGE";

  /** The metastore's schema is older than the table's Delta log. */
  static final String UNSUPPORTED_SCHEMA_DURING_READ = "DELTA_UNSUPPORTED_SCHEMA_DURING_READ";

  /** Bronze files were rewritten or deleted (an update, delete or overwrite of the history). */
  static final String SOURCE_IGNORE_CHANGES = "DELTA_SOURCE_TABLE_IGNORE_CHANGES";

  static final String SOURCE_IGNORE_DELETE = "DELTA_SOURCE_IGNORE_DELETE";

  private DeltaConditions() {}

  /**
   * True when {@code failure} or one of its causes carries a condition that is one of {@code
   * conditions} or a sub-condition of one (Delta adds suffixes such as {@code
   * _WITH_STARTING_OPTIONS}).
   */
  static boolean has(Throwable failure, String... conditions) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof SparkThrowable spark && spark.getCondition() != null) {
        for (String condition : conditions) {
          if (spark.getCondition().startsWith(condition)) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
