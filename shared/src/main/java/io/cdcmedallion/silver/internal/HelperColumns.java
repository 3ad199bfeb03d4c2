package io.cdcmedallion.silver.internal;

import io.cdcmedallion.silver.CurrentState;

/**
 * Names of the helper columns that {@link CurrentState#latestEvents} adds to the latest events and
 * that the full refresh, the SCD 2 history and the state table read. They start with {@code
 * __cdcm_} so that they do not clash with data columns, and they are not API: no table a user reads
 * keeps them.
 */
public final class HelperColumns {
  /**
   * Column of {@link CurrentState#latestEvents} that is true for keys whose latest sequence holds a
   * tie.
   */
  public static final String TIE_COLUMN = "__cdcm_tie";

  /** Column of {@link CurrentState#latestEvents} holding the change type of the winning event. */
  public static final String TYPE = "__cdcm_type";

  /** Column of {@link CurrentState#latestEvents} holding the change-type rank of the tie rule. */
  public static final String RANK = "__cdcm_rank";

  /**
   * Column of {@link CurrentState#latestEvents} holding the row hash, the tie rule's last resort.
   */
  public static final String HASH = "__cdcm_h";

  /**
   * With {@code ignore_null_updates}: column of {@link CurrentState#latestEvents} holding the
   * greatest sequence of the key's deletes (null when none).
   */
  public static final String LAST_DELETE = "__cdcm_del";

  /**
   * With {@code ignore_null_updates}: column of {@link CurrentState#latestEvents} holding the
   * greatest sequence of the key's inserts and update post-images (null when none).
   */
  public static final String LAST_UPSERT = "__cdcm_last";

  private HelperColumns() {}
}
