package io.cdcmedallion.silver;

import io.cdcmedallion.config.EntityConfig;
import io.cdcmedallion.config.PipelineConfig;
import io.cdcmedallion.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Shortcuts for silver tests: a one-entity pipeline on {@code main}, its run and its table. */
abstract class SilverTestBase extends SparkTestBase {
  static PipelineConfig config(EntityConfig entity) {
    return new PipelineConfig(
        "test.yml", "main", "bronze", "silver", "gold", List.of(entity), List.of());
  }

  static SilverResult runSilver(EntityConfig entity) {
    return new SilverJob(spark, config(entity)).run(entity);
  }

  static Dataset<Row> silver(EntityConfig entity) {
    return spark.table(config(entity).silverTable(entity).quoted());
  }

  static Dataset<Row> rowsOf(String ddl, Object[]... rows) {
    return spark.createDataFrame(
        List.of(rows).stream().map(RowFactory::create).toList(), StructType.fromDDL(ddl));
  }
}
