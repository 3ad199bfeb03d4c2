package io.cdcmedallion.session;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The one place that caches DataFrames, and only where the session can. A classic (in-process)
 * Spark session, as in the local lakehouse, under spark-submit or on a classic Databricks cluster,
 * caches; a Spark Connect session, as on Databricks serverless compute, does not: serverless
 * environment version 4 rejects {@code persist}/{@code cache} with {@code
 * CACHE_REQUIRES_NEWER_CLIENT_ON_SERVERLESS_GC} (caching needs environment 5 and Databricks Connect
 * for Scala 18.1.5). Caching here only saves re-reading an input, so without it the results are the
 * same. The architecture test ({@code ServerlessRulesTest}) allows no other caller of {@code
 * persist}, {@code cache} or {@code unpersist}.
 */
public final class DatasetCache {
  /** Spark 4's in-process session class; every Spark Connect client has another one. */
  static final String CLASSIC_SESSION_CLASS = "org.apache.spark.sql.classic.SparkSession";

  private static final DatasetCache CACHING = new DatasetCache(true);
  private static final DatasetCache PASS_THROUGH = new DatasetCache(false);

  private final boolean caches;

  private DatasetCache(boolean caches) {
    this.caches = caches;
  }

  /** Caching for {@code spark}: on for a classic session, off for a Spark Connect session. */
  public static DatasetCache forSession(SparkSession spark) {
    return forSessionClass(spark.getClass().getName());
  }

  /** Caching for a session of this class name. */
  static DatasetCache forSessionClass(String sessionClassName) {
    return CLASSIC_SESSION_CLASS.equals(sessionClassName) ? CACHING : PASS_THROUGH;
  }

  /** True when {@link #keep} caches. */
  public boolean caches() {
    return caches;
  }

  /**
   * {@code rows} kept in memory (spilling to disk) for the next actions, where the session can
   * cache; else {@code rows} as it is. Pair with {@link #release}.
   */
  public <T> Dataset<T> keep(Dataset<T> rows) {
    return caches ? rows.persist(StorageLevel.MEMORY_AND_DISK()) : rows;
  }

  /** Frees what {@link #keep} cached; does nothing where nothing was cached. */
  public void release(Dataset<?> rows) {
    if (caches) {
      rows.unpersist();
    }
  }
}
