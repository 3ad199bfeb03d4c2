package io.cdcmedallion.config;

/**
 * What silver does when one key has several different rows at its latest sequence value.
 *
 * <p>{@link #PICK} keeps one of them by a fixed rule (docs/silver.md, "Ties") and reports how many
 * keys were affected; {@link #FAIL} stops the run instead.
 */
public enum TiePolicy {
  PICK("pick"),
  FAIL("fail");

  private final String configName;

  TiePolicy(String configName) {
    this.configName = configName;
  }

  /** The config spelling. */
  public String configName() {
    return configName;
  }
}
