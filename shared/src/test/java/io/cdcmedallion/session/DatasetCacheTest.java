package io.cdcmedallion.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmedallion.testing.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

class DatasetCacheTest extends SparkTestBase {
  @Test
  void aClassicSessionCachesWhatIsKeptUntilItIsReleased() {
    DatasetCache cache = DatasetCache.forSession(spark);
    Dataset<Row> rows = spark.range(3).toDF();

    Dataset<Row> kept = cache.keep(rows);

    assertThat(cache.caches()).isTrue();
    assertThat(kept.storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK());
    assertThat(kept.count()).isEqualTo(3);
    cache.release(kept);
    assertThat(kept.storageLevel()).isEqualTo(StorageLevel.NONE());
  }

  @Test
  void aSparkConnectSessionGetsTheRowsBackUncached() {
    // The class of a Spark Connect session (open-source client, Databricks Connect, serverless).
    DatasetCache cache = DatasetCache.forSessionClass("org.apache.spark.sql.connect.SparkSession");
    Dataset<Row> rows = spark.range(3).toDF();

    Dataset<Row> kept = cache.keep(rows);

    assertThat(cache.caches()).isFalse();
    assertThat(kept).isSameAs(rows);
    assertThat(kept.storageLevel()).isEqualTo(StorageLevel.NONE());
    assertThat(kept.count()).isEqualTo(3);
    cache.release(kept);
    assertThat(kept.storageLevel()).isEqualTo(StorageLevel.NONE());
  }

  @Test
  void theLocalSessionIsTheClassicOne() {
    assertThat(spark.getClass().getName()).isEqualTo(DatasetCache.CLASSIC_SESSION_CLASS);
  }
}
