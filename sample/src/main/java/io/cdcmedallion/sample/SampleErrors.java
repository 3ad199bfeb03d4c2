package io.cdcmedallion.sample;

import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.errors.MedallionException.Kind;

/**
 * Creates the sample generator's user-facing errors. Each message is one line: what went wrong,
 * why, and what to do.
 */
public final class SampleErrors {
  private SampleErrors() {}

  public static MedallionException sampleScaleOutOfRange(int scale, int max) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Invalid sample scale %d: it counts thousands of orders and must be between 1 and %d. Pass a scale in that range.",
            scale, max),
        null);
  }

  public static MedallionException sampleEntityNotConfigured(String entity, String source) {
    return new MedallionException(
        Kind.CONFIG,
        String.format(
            "No entity '%s' in %s, but the sample shop generator writes its bronze table. Add entities customers, products, orders and order_items to the config, or omit --config to use the sample shop pipeline.",
            entity, source),
        null);
  }

  public static MedallionException sampleTableMissing(String table, String entity) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s for entity '%s' does not exist, so there is no sample history to append to. Run ./medallion generate first.",
            table, entity),
        null);
  }

  public static MedallionException sampleShapeMismatch(
      String table, String found, String requested) {
    return new MedallionException(
        Kind.USAGE,
        String.format(
            "Bronze table %s has the %s metadata shape, but the append asked for %s; one table cannot mix shapes. Append with shape %s, or run ./medallion generate to recreate the tables in the %s shape.",
            table, found, requested, found, requested),
        null);
  }

  public static MedallionException sampleTableUnrecognized(String table) {
    return new MedallionException(
        Kind.TABLE,
        String.format(
            "Bronze table %s has neither a _change_type nor a _pg_change_type column, so it does not hold sample history to append to. Run ./medallion generate to recreate the sample tables.",
            table),
        null);
  }

  public static MedallionException rowsNotCounted(String table) {
    return new MedallionException(
        Kind.EXECUTION,
        String.format(
            "The rows just written to bronze table %s could not be counted: the write reported no observed metrics and its Delta commit no numOutputRows. Turn Delta's history metrics back on (spark.databricks.delta.history.metricsEnabled=true) and generate again.",
            table),
        null);
  }
}
