package io.cdcmedallion.config;

/**
 * Which slowly changing dimension type silver keeps for an entity.
 *
 * <p>{@link #TYPE_1} is the current state only ({@code silver_<entity>}); {@link #TYPE_2} also
 * keeps every version of every key in {@code silver_<entity>_history}, with the sequence range in
 * which each version was current.
 */
public enum ScdType {
  TYPE_1("1"),
  TYPE_2("2");

  private final String configName;

  ScdType(String configName) {
    this.configName = configName;
  }

  /** The config spelling ({@code scd: 1} or {@code scd: 2}). */
  public String configName() {
    return configName;
  }
}
