package io.cdcmedallion.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.errors.MedallionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which session a job gets, from the flag and the environment (this build has no Connect). */
class SessionKindTest {
  @Test
  void insideDatabricksTheRuntimeSessionWinsEvenOverConnect() {
    Map<String, String> env = Map.of("DATABRICKS_RUNTIME_VERSION", "17.3");
    assertThat(Sessions.kind(false, env)).isEqualTo(SessionKind.DATABRICKS_RUNTIME);
    assertThat(Sessions.kind(true, env)).isEqualTo(SessionKind.DATABRICKS_RUNTIME);
  }

  @Test
  void aSparkConnectUrlAsksForSparkConnect() {
    assertThat(Sessions.kind(true, Optional.of("sc://localhost:15002"), Map.of()))
        .isEqualTo(SessionKind.SPARK_CONNECT);
  }

  @Test
  void underSparkSubmitTheSubmittedSessionIsUsedUnlessConnectIsAskedFor() {
    assertThat(Sessions.kind(false, Optional.empty(), Map.of(), true))
        .isEqualTo(SessionKind.SPARK_SUBMIT);
    assertThat(Sessions.kind(true, Optional.empty(), Map.of(), true))
        .isEqualTo(SessionKind.DATABRICKS_CONNECT);
    assertThat(
            Sessions.kind(
                false, Optional.empty(), Map.of("DATABRICKS_RUNTIME_VERSION", "17.3"), true))
        .isEqualTo(SessionKind.DATABRICKS_RUNTIME);
  }

  @Test
  void connectFlagAsksForDatabricksConnect() {
    assertThat(Sessions.kind(true, Optional.empty(), Map.of(), false))
        .isEqualTo(SessionKind.DATABRICKS_CONNECT);
  }

  @Test
  void aConfiguredWorkspaceStaysLocalWhenConnectIsNotOnTheClasspath() {
    Map<String, String> env =
        Map.of(
            "DATABRICKS_HOST",
            "https://example.cloud.databricks.com",
            "DATABRICKS_RUNTIME_VERSION",
            " ");
    assertThat(Sessions.kind(false, Optional.empty(), env, false)).isEqualTo(SessionKind.LOCAL);
    assertThat(Sessions.kind(false, Optional.empty(), Map.of(), false))
        .isEqualTo(SessionKind.LOCAL);
  }

  @Test
  void connectWithoutDatabricksConnectOnTheClasspathSaysWhichBuildToUse() {
    ConnectSettings settings =
        new ConnectSettings(Optional.empty(), Optional.empty(), true, Optional.empty());
    assertThatThrownBy(
            () ->
                Sessions.open(
                    SessionKind.DATABRICKS_CONNECT, null, settings, List.of(Sessions.class)))
        .isInstanceOf(MedallionException.class)
        .hasMessage(
            "--connect needs Databricks Connect, which this build does not include. Build with"
                + " `mvn -Pdbconnect package` and run that jar, or drop --connect to run locally.");
  }
}
