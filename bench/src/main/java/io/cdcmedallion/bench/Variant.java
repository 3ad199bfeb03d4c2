package io.cdcmedallion.bench;

/** What one benchmark worker measures. */
enum Variant {
  /** Writes the bronze history (measured once; not a contender). */
  GENERATE("generate history", false),
  /** The cookbook's silver SQL (ROW_NUMBER over the key, ordered by LSN) run by Spark. */
  COOKBOOK_SPARK("cookbook SQL on Spark", true),
  /** This project's silver full refresh ({@code SilverJob}). */
  SILVER_FULL("silver full refresh", true),
  /** The cookbook's SQL run by DuckDB over the same active Parquet files. */
  DUCKDB("cookbook SQL on DuckDB", true),
  /** The benchmark's gold table over silver. */
  GOLD("gold over silver", true),
  /**
   * Incremental silver applying a batch of new changes of 1% of the history's rows (each run
   * appends a new batch first, untimed), spread uniformly over all keys. It appends to bronze, so
   * it runs after the full-refresh variants.
   */
  INCREMENTAL("incremental 1% batch, uniform", true),
  /**
   * Incremental silver applying a realistic 1% batch ({@link BenchHistory#appendRealisticChanges}):
   * new keys, updates and deletes mostly on the newest keys. The same worker times {@link #PEER} on
   * the same batches. Appends to bronze.
   */
  INCREMENTAL_REALISTIC("incremental 1% batch, realistic", true),
  /**
   * The hand-written peer ({@link HandWrittenPeer}) on the realistic batches, timed by the {@link
   * #INCREMENTAL_REALISTIC} worker, alternating with it batch by batch.
   */
  PEER("hand-written peer, realistic", true);

  private final String label;
  private final boolean plotted;

  Variant(String label, boolean plotted) {
    this.label = label;
    this.plotted = plotted;
  }

  /** Human name for tables and the plot legend. */
  String label() {
    return label;
  }

  /** True for the variants drawn in the plot. */
  boolean plotted() {
    return plotted;
  }

  /** The command-line name, e.g. {@code silver-full}. */
  String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Every variant's command-line name, comma-separated, in declaration order. */
  static String cliNames() {
    return String.join(", ", java.util.Arrays.stream(values()).map(Variant::cliName).toList());
  }

  static Variant fromCli(String name) {
    for (Variant v : values()) {
      if (v.cliName().equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "Unknown benchmark variant '" + name + "'; expected one of [" + cliNames() + "]");
  }
}
