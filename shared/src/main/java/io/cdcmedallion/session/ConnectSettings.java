package io.cdcmedallion.session;

import java.util.Optional;

/**
 * What a Databricks Connect session runs on. Host and credentials are never here: the Databricks
 * SDK finds them (a {@code ~/.databrickscfg} profile, OAuth, or {@code DATABRICKS_*} variables).
 *
 * @param profile the {@code ~/.databrickscfg} profile; empty means the SDK's default chain
 * @param clusterId an all-purpose cluster; empty means serverless when {@code serverless}, else
 *     what the profile names ({@code cluster_id} or {@code serverless_compute_id})
 * @param serverless run on serverless compute
 * @param remote for {@link SessionKind#SPARK_CONNECT}: the server's {@code sc://host:port} URL
 */
public record ConnectSettings(
    Optional<String> profile,
    Optional<String> clusterId,
    boolean serverless,
    Optional<String> remote) {
  public ConnectSettings {
    profile = profile.filter(p -> !p.isBlank());
    clusterId = clusterId.filter(c -> !c.isBlank());
    remote = remote.filter(r -> !r.isBlank());
  }
}
