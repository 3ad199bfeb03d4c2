package io.cdcmedallion.sample;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * Seeded pseudo-randomness as column expressions: every choice hashes the seed, a salt naming the
 * choice, and the values it depends on (a key, an update number...). Nothing depends on
 * partitioning or on the order rows are computed in, so the same inputs give the same tables.
 */
final class Rng {
  private final long seed;

  Rng(long seed) {
    this.seed = seed;
  }

  /** A 64-bit hash of the seed, {@code salt} and {@code parts}. */
  Column hash(String salt, Column... parts) {
    Column[] all = new Column[parts.length + 2];
    all[0] = lit(seed);
    all[1] = lit(salt);
    System.arraycopy(parts, 0, all, 2, parts.length);
    return xxhash64(all);
  }

  /** A number in {@code [0, n)}. */
  Column below(long n, String salt, Column... parts) {
    return pmod(hash(salt, parts), lit(n));
  }

  /** A number in {@code [0, n)}; {@code n} must be positive. */
  Column below(Column n, String salt, Column... parts) {
    return pmod(hash(salt, parts), n.cast("long"));
  }

  /** Integer division of non-negative longs, exact (Column.divide would give a double). */
  static Column idiv(Column a, Column b) {
    return a.minus(pmod(a, b)).divide(b).cast("long");
  }

  static Column idiv(Column a, long b) {
    return idiv(a, lit(b));
  }
}
