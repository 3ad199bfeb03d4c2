package io.cdcmedallion.postgres;

import java.util.List;

/**
 * What preflight found.
 *
 * @param tables schema-qualified names of the tables checked, by name
 * @param findings every finding, by table then check
 */
public record PreflightReport(List<String> tables, List<PreflightFinding> findings) {
  public PreflightReport {
    tables = List.copyOf(tables);
    findings = List.copyOf(findings);
  }

  /** True when every table checked is ready for sync (and at least one was checked). */
  public boolean ready() {
    return findings.isEmpty() && !tables.isEmpty();
  }

  /** The checked tables without findings. */
  public List<String> readyTables() {
    return tables.stream()
        .filter(t -> findings.stream().noneMatch(f -> f.table().equals(t)))
        .toList();
  }
}
