package io.cdcmedallion.jobs;

import io.cdcmedallion.errors.Errors;

/**
 * Entry point of the Databricks JAR tasks (databricks.yml): the same commands and arguments as
 * {@link MedallionCli}, but a failure throws instead of calling {@code System.exit}, which a
 * Databricks job driver must not do, and the runtime's session is left running.
 */
public final class DatabricksMain {
  private DatabricksMain() {}

  public static void main(String[] args) {
    int exitCode = MedallionCli.execute(args, System.out, System.err);
    if (exitCode != 0) {
      throw Errors.jobFailed(args.length == 0 ? "" : args[0], exitCode);
    }
  }
}
