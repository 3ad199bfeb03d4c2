package io.cdcmedallion.postgres;

import java.util.List;

/**
 * What a publish did.
 *
 * @param target schema-qualified Postgres table
 * @param mode snapshot or triggered
 * @param key primary key columns of the Postgres table
 * @param keySource where the key came from, for the progress line
 * @param rows rows of the gold table
 * @param upserted rows inserted or changed (snapshot: every row)
 * @param deleted rows deleted because they left the gold table (snapshot: 0)
 */
public record PublishResult(
    String target,
    PublishMode mode,
    List<String> key,
    String keySource,
    long rows,
    long upserted,
    long deleted) {}
