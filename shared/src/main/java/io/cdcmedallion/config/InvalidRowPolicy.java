package io.cdcmedallion.config;

/**
 * What silver does with bronze rows that break the contract (null key, null or unreadable sequence,
 * unknown change type): {@link #FAIL} stops the run, {@link #QUARANTINE} sets them aside in {@code
 * <catalog>.<silver_schema>.quarantine_<entity>} and goes on without them.
 */
public enum InvalidRowPolicy {
  FAIL("fail"),
  QUARANTINE("quarantine");

  private final String configName;

  InvalidRowPolicy(String configName) {
    this.configName = configName;
  }

  /** The config spelling. */
  public String configName() {
    return configName;
  }
}
