package io.cdcmedallion.quality;

/**
 * What happens to a row that fails an {@link Expectation}: {@link #WARN} keeps it and counts it,
 * {@link #DROP} removes it, counts it and copies it to the quarantine table, {@link #FAIL} stops
 * the run before anything is written.
 */
public enum ExpectationAction {
  WARN("warn"),
  DROP("drop"),
  FAIL("fail");

  private final String configName;

  ExpectationAction(String configName) {
    this.configName = configName;
  }

  /** The config spelling. */
  public String configName() {
    return configName;
  }
}
