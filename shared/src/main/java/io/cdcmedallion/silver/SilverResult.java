package io.cdcmedallion.silver;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.lakehouse.TableName;
import java.time.Duration;

/**
 * What one silver build did.
 *
 * @param entity entity name
 * @param table the silver table written
 * @param shape metadata shape of the bronze table
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
    long historyRows,
    long quarantinedRows,
    long currentRows,
    long ties,
    Duration elapsed) {}
