package io.cdcmedallion.gold;

import io.cdcmedallion.lakehouse.TableName;
import java.time.Duration;

/**
 * What one gold build did.
 *
 * @param name gold table name
 * @param table the table written
 * @param rows rows in the table after the build
 * @param elapsed wall-clock time of build and write
 */
public record GoldResult(String name, TableName table, long rows, Duration elapsed) {}
