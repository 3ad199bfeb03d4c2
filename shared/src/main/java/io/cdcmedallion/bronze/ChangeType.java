package io.cdcmedallion.bronze;

import java.util.Arrays;
import java.util.List;

/** The change types Lakehouse Sync writes into a history table's change-type column. */
public enum ChangeType {
  INSERT("insert"),
  /** The row as it was before an update; shares its LSN with the post-image. */
  UPDATE_PREIMAGE("update_preimage"),
  /** The row as it is after an update. */
  UPDATE_POSTIMAGE("update_postimage"),
  DELETE("delete");

  private final String value;

  ChangeType(String value) {
    this.value = value;
  }

  /** The value as stored in the history table. */
  public String value() {
    return value;
  }

  /** All stored values, in declaration order. */
  public static List<String> allValues() {
    return Arrays.stream(values()).map(ChangeType::value).toList();
  }
}
