package io.cdcmedallion.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.cdcmedallion.session.DatasetCache;
import io.cdcmedallion.session.Sessions;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Catalog;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the library's code may call so that it runs on Databricks serverless compute (environment
 * version 4, a Spark Connect session), written as ArchUnit rules over shared/'s main classes. Each
 * rule is also run against a fixture that breaks it ({@link Violations}), so a rule that can no
 * longer fail is caught too.
 */
class ServerlessRulesTest {
  /** Where the local continuous mode picks its processing-time trigger. */
  static final String CONTINUOUS_MODE_CLASS = "io.cdcmedallion.silver.internal.EntityStream";

  /**
   * Caching a DataFrame on serverless environment 4 fails with {@code
   * CACHE_REQUIRES_NEWER_CLIENT_ON_SERVERLESS_GC}; {@link DatasetCache} caches only on a classic
   * session.
   */
  static final ArchRule NO_CACHING_OUTSIDE_DATASET_CACHE =
      noClasses()
          .that()
          .doNotBelongToAnyOf(DatasetCache.class)
          .should()
          .callMethodWhere(
              callTo(Dataset.class, Set.of("persist", "cache", "unpersist"))
                  .or(callTo(Catalog.class, Set.of("cacheTable", "uncacheTable", "clearCache"))))
          .because(
              "serverless environment 4 rejects caching (CACHE_REQUIRES_NEWER_CLIENT_ON_SERVERLESS_GC);"
                  + " use io.cdcmedallion.session.DatasetCache, which caches only where the session can");

  /** Serverless (Spark Connect) has no SparkContext and no RDD API. */
  static final ArchRule NO_SPARK_CONTEXT_OR_RDD =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark.rdd..", "org.apache.spark.api.java..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.apache.spark.SparkContext")
          .orShould()
          .callMethodWhere(
              callTo(SparkSession.class, Set.of("sparkContext"))
                  .or(callTo(Dataset.class, Set.of("rdd", "javaRDD", "toJavaRDD"))))
          .because("serverless compute runs Spark Connect, which has no SparkContext or RDDs");

  /**
   * Serverless jobs support only the available-now trigger. The one exception is the local CLI's
   * {@code silver --mode incremental --trigger continuous}, whose processing-time trigger is chosen
   * in one place, {@code EntityStream}, and only when asked for; the bundle's tasks never ask
   * (BundleTest).
   */
  static final ArchRule ONLY_AVAILABLE_NOW_TRIGGERS =
      noClasses()
          .should()
          .callMethodWhere(
              new DescribedPredicate<JavaMethodCall>(
                  "a Trigger other than AvailableNow (outside EntityStream's continuous mode)") {
                @Override
                public boolean test(JavaMethodCall call) {
                  if (!call.getTargetOwner().isAssignableTo(Trigger.class)
                      || call.getName().equals("AvailableNow")) {
                    return false;
                  }
                  return !(call.getOriginOwner().getName().equals(CONTINUOUS_MODE_CLASS)
                      && call.getName().equals("ProcessingTime"));
                }
              })
          .because("serverless compute supports only Trigger.AvailableNow()");

  /**
   * Serverless allows setting only a few Spark configs: the library sets none at run time, and
   * session builder configs are only those of the local lakehouse ({@link Sessions#local}).
   */
  static final ArchRule NO_SPARK_CONFIG_OUTSIDE_THE_LOCAL_SESSION =
      noClasses()
          .should()
          .callMethodWhere(callTo(RuntimeConfig.class, Set.of("set", "unset")))
          .orShould()
          .callMethodWhere(
              new DescribedPredicate<JavaMethodCall>(
                  "a session builder config outside Sessions.local") {
                @Override
                public boolean test(JavaMethodCall call) {
                  return call.getTargetOwner().isAssignableTo(SparkSession.Builder.class)
                      && Set.of("config", "master", "enableHiveSupport").contains(call.getName())
                      && !(call.getOriginOwner().isEquivalentTo(Sessions.class)
                          && call.getOrigin().getName().equals("local"));
                }
              })
          .because("serverless compute rejects most Spark configs");

  private static JavaClasses library;

  @BeforeAll
  static void importLibrary() {
    library =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdcmedallion");
  }

  @Test
  void theRulesSeeTheLibrarysMainClassesOnly() {
    assertThat(library.contain("io.cdcmedallion.silver.SilverJob")).isTrue();
    assertThat(library.contain("io.cdcmedallion.silver.IncrementalSilver")).isTrue();
    assertThat(library.contain("io.cdcmedallion.silver.internal.MicroBatchWriter")).isTrue();
    assertThat(library.contain(CONTINUOUS_MODE_CLASS)).isTrue();
    assertThat(library.contain(DatasetCache.class)).isTrue();
    assertThat(library.contain(Violations.class)).isFalse();
  }

  @Test
  void noDataFrameIsCachedOutsideDatasetCache() {
    NO_CACHING_OUTSIDE_DATASET_CACHE.check(library);
  }

  @Test
  void noSparkContextOrRdd() {
    NO_SPARK_CONTEXT_OR_RDD.check(library);
  }

  @Test
  void streamingUsesOnlyTheAvailableNowTrigger() {
    ONLY_AVAILABLE_NOW_TRIGGERS.check(library);
  }

  @Test
  void noSparkConfigIsSetOutsideTheLocalSession() {
    NO_SPARK_CONFIG_OUTSIDE_THE_LOCAL_SESSION.check(library);
  }

  @Test
  void eachRuleCatchesCodeThatBreaksIt() {
    JavaClasses violations = new ClassFileImporter().importClasses(Violations.class);

    assertViolation(
        NO_CACHING_OUTSIDE_DATASET_CACHE, violations, "Dataset.persist", "Dataset.cache");
    assertViolation(
        NO_SPARK_CONTEXT_OR_RDD, violations, "SparkSession.sparkContext", "Dataset.rdd");
    assertViolation(
        ONLY_AVAILABLE_NOW_TRIGGERS, violations, "Trigger.ProcessingTime", "Trigger.Continuous");
    assertViolation(
        NO_SPARK_CONFIG_OUTSIDE_THE_LOCAL_SESSION,
        violations,
        "RuntimeConfig.set",
        "Builder.config");
  }

  private static void assertViolation(ArchRule rule, JavaClasses classes, String... calls) {
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
    assertThat(result.getFailureReport().toString()).contains(calls);
  }

  private static DescribedPredicate<JavaMethodCall> callTo(Class<?> owner, Set<String> names) {
    return new DescribedPredicate<>("a call to %s.%s", owner.getSimpleName(), names) {
      @Override
      public boolean test(JavaMethodCall call) {
        return call.getTargetOwner().isAssignableTo(owner) && names.contains(call.getName());
      }
    };
  }
}
