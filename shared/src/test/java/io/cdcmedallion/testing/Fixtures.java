package io.cdcmedallion.testing;

import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Hand-written fixture files under {@code src/test/resources}, read with an explicit schema:
 *
 * <ul>
 *   <li>{@code .csv}: a header line naming the schema's columns in order; lines starting with
 *       {@code #} are comments; an empty field is null.
 *   <li>{@code .jsonl}: one JSON object per line; a missing field is null.
 * </ul>
 *
 * A line that does not fit the schema fails the test instead of turning into nulls.
 */
public final class Fixtures {
  private Fixtures() {}

  /** Reads the fixture {@code resource} (e.g. {@code fixtures/orders.csv}) with the DDL schema. */
  public static Dataset<Row> load(SparkSession spark, String resource, String ddl) {
    StructType schema = StructType.fromDDL(ddl);
    Dataset<String> lines = spark.createDataset(lines(resource), Encoders.STRING());
    if (resource.endsWith(".csv")) {
      return spark
          .read()
          .schema(schema)
          .option("header", "true")
          // Check the header against the schema, so a fixture and its DDL cannot drift apart.
          .option("enforceSchema", "false")
          .option("comment", "#")
          .option("mode", "FAILFAST")
          .option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
          .csv(lines);
    }
    if (resource.endsWith(".jsonl")) {
      return spark
          .read()
          .schema(schema)
          .option("mode", "FAILFAST")
          .option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
          .json(lines.filter((FilterFunction<String>) l -> !l.isBlank()));
    }
    throw new IllegalArgumentException("Fixture " + resource + " is neither .csv nor .jsonl");
  }

  /** Reads the fixture and writes it as the Delta table {@code table}, replacing it. */
  public static Dataset<Row> loadInto(
      SparkSession spark, String resource, String ddl, TableName table) {
    Tables.replace(spark, load(spark, resource, ddl), table);
    return spark.table(table.quoted());
  }

  private static List<String> lines(String resource) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
