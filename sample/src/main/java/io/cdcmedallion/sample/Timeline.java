package io.cdcmedallion.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.when;

import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.MetadataShape;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where every generated event sits in the WAL and in time.
 *
 * <p>Generators describe an event by its minute on the timeline ({@code _tick}), the <em>lane</em>
 * of the row stream it belongs to ({@code key * 4 + entity tag}; an order and its items share the
 * order's lane) and its ordinal inside the transaction ({@code _ord}). A transaction is one (tick,
 * lane) pair, so
 *
 * <pre>
 * LSN = BASE_LSN + ((tick &lt;&lt; LANE_BITS | lane) &lt;&lt; ORDINAL_BITS | ordinal)
 * </pre>
 *
 * is unique per event as long as each lane has at most one transaction per minute, and it grows
 * with commit time: the commit timestamp is the tick's minute plus a fraction of it taken from the
 * lane. An update's pre- and post-image are one event, so they share the LSN.
 */
final class Timeline {
  /** First LSN, as a WAL position ({@code 16/00000000}). */
  static final long BASE_LSN = 0x16_0000_0000L;

  /** 2025-01-01T00:00:00Z, the first minute of the timeline, in microseconds. */
  static final long START_MICROS = 1_735_689_600_000_000L;

  static final int LANE_BITS = 30;
  static final int ORDINAL_BITS = 4;
  static final long MINUTE_MICROS = 60_000_000L;
  static final long FIRST_XID = 1_000L;

  static final long TAG_CUSTOMER = 0;
  static final long TAG_PRODUCT = 1;
  static final long TAG_ORDER = 2;

  /** Internal event columns every generator produces next to the data columns. */
  static final String KIND = "_kind";

  static final String TICK = "_tick";
  static final String LANE = "_lane";
  static final String ORD = "_ord";

  private Timeline() {}

  /** The lane of key {@code key} of the entity with {@code tag}. */
  static Column lane(Column key, long tag) {
    return key.cast("long").multiply(4).plus(tag);
  }

  /** Commit timestamp of a transaction. */
  static Column timestamp(Column tick, Column lane) {
    // lane * 60e6 < 2^30 * 6e7 fits a long; the shift maps the lane onto [0, 60 s).
    Column withinMinute = shiftright(lane.multiply(MINUTE_MICROS), LANE_BITS);
    return timestamp_micros(
        lit(START_MICROS).plus(tick.multiply(MINUTE_MICROS)).plus(withinMinute));
  }

  static Column transaction(Column tick, Column lane) {
    return tick.multiply(1L << LANE_BITS).plus(lane);
  }

  static Column lsn(Column tick, Column lane, Column ordinal) {
    return lit(BASE_LSN).plus(transaction(tick, lane).multiply(1L << ORDINAL_BITS)).plus(ordinal);
  }

  /** The tick of an LSN written by this class (inverse of {@link #lsn} up to lane and ordinal). */
  static long tickOf(long lsn) {
    return Math.max(0, (lsn - BASE_LSN) >> (LANE_BITS + ORDINAL_BITS));
  }

  /**
   * Replaces the internal event columns by the metadata columns of {@code shape}: data columns in
   * {@code dataColumns} order first, then the metadata.
   */
  static Dataset<Row> toHistory(
      Dataset<Row> events, List<String> dataColumns, MetadataShape shape) {
    Column tick = col(TICK);
    Column lane = col(LANE);
    Column kind = col(KIND);
    Column lsn = lsn(tick, lane, col(ORD).cast("long"));
    Column commitTime = timestamp(tick, lane);
    List<Column> out = new ArrayList<>();
    for (String c : dataColumns) {
      out.add(col(c));
    }
    if (shape == MetadataShape.COOKBOOK) {
      out.add(kind.as("_change_type"));
      out.add(lsn.as("_lsn"));
      out.add(commitTime.as("_commit_timestamp"));
    } else {
      Column position =
          when(kind.equalTo(ChangeType.UPDATE_PREIMAGE.value()), 1)
              .when(kind.equalTo(ChangeType.UPDATE_POSTIMAGE.value()), 2)
              .otherwise(0);
      out.add(kind.as("_pg_change_type"));
      out.add(lsn.as("_pg_lsn"));
      out.add(lit(FIRST_XID).plus(transaction(tick, lane)).as("_pg_xid"));
      out.add(commitTime.as("_timestamp"));
      out.add(lsn.multiply(4).plus(position).as("_sort_by"));
    }
    return events.select(out.toArray(new Column[0]));
  }
}
