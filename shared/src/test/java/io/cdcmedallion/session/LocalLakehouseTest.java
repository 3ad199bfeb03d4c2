package io.cdcmedallion.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmedallion.errors.MedallionException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLakehouseTest {
  @TempDir Path dir;

  private static void stop(SparkSession spark) {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @Test
  void aLakehouseLockedByAnotherProcessIsRefusedWithAClearMessage() throws Exception {
    Path locked = dir.resolve("busy");
    Files.createDirectories(locked);
    try (FileChannel channel =
            FileChannel.open(
                locked.resolve(".medallion.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      assertThatThrownBy(() -> Sessions.local(new LocalLakehouse(locked, "main", "local[2]", 2)))
          .isInstanceOf(MedallionException.class)
          .hasMessage(
              "Lakehouse "
                  + locked.toAbsolutePath().normalize()
                  + " is in use by another cdc-medallion process (its metastore and Delta logs are safe for one process at a time). Wait for that process to finish, or pass another --lakehouse.");
    }
  }

  @Test
  void tablesWrittenInOneSessionAreSeenByTheNextUnderTheirThreePartName() {
    LocalLakehouse lakehouse = new LocalLakehouse(dir, "dev", "local[2]", 2);
    SparkSession first = Sessions.local(lakehouse);
    try {
      first.sql("CREATE SCHEMA IF NOT EXISTS dev.bronze");
      first.sql("CREATE TABLE dev.bronze.events (id BIGINT, name STRING) USING delta");
      first.sql("INSERT INTO dev.bronze.events VALUES (1, 'a'), (2, 'b')");
    } finally {
      stop(first);
    }

    SparkSession second = Sessions.local(lakehouse);
    try {
      List<Row> rows =
          second.sql("SELECT id, name FROM dev.bronze.events ORDER BY id").collectAsList();
      assertThat(rows.toString()).isEqualTo("[[1,a], [2,b]]");
      String provider =
          second.sql("DESCRIBE DETAIL dev.bronze.events").select("format").first().getString(0);
      assertThat(provider).isEqualTo("delta");
      assertThat(dir.resolve("warehouse/bronze.db/events/_delta_log")).isDirectory();
    } finally {
      stop(second);
    }
  }
}
