package io.cdcmedallion.jobs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the project checkout, seen from the jobs module's tests (run in {@code jobs/}). */
final class ProjectFiles {
  private ProjectFiles() {}

  /** The repository root (the parent of {@code jobs/}). */
  static Path root() {
    Path jobs = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    Path root = jobs.getParent();
    if (root == null || !Files.isRegularFile(root.resolve("databricks.yml"))) {
      throw new IllegalStateException("Cannot find the project root above " + jobs);
    }
    return root;
  }

  /**
   * The thin jar for Databricks and spark-submit; Maven builds it in jobs' process-classes phase,
   * before the tests.
   */
  static Path thinJar() {
    Path jar = root().resolve("jobs/target/cdc-medallion-jobs-databricks.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the tests through Maven (mvn test), which builds it first.");
    }
    return jar;
  }
}
