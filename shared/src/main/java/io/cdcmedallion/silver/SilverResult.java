package io.cdcmedallion.silver;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.lakehouse.TableName;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * What one silver build did.
 *
 * @param entity entity name
 * @param table the silver table written
 * @param shape metadata shape of the bronze table
 * @param bronzeVersion the Delta version of the bronze table that was read (empty for a view)
 * @param historyRows rows read from the bronze history table
 * @param quarantinedRows rows set aside because they break the contract
 * @param currentRows rows in the silver table after the build
 * @param ties keys whose latest sequence held several different rows (resolved by the tie rule)
 * @param elapsed wall-clock time
 */
public record SilverResult(
    String entity,
    TableName table,
    MetadataShape shape,
    OptionalLong bronzeVersion,
    long historyRows,
    long quarantinedRows,
    long currentRows,
    long ties,
    Duration elapsed) {}
