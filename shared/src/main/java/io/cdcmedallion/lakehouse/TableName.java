package io.cdcmedallion.lakehouse;

import io.cdcmedallion.sql.Identifiers;

/**
 * A three-part table name, {@code catalog.schema.table}, with every part validated.
 *
 * @param catalog catalog name, e.g. {@code main}
 * @param schema schema (namespace) name, e.g. {@code silver}
 * @param table table name, e.g. {@code silver_orders}
 */
public record TableName(String catalog, String schema, String table) {
  public TableName {
    Identifiers.requireValid(catalog, "catalog name");
    Identifiers.requireValid(schema, "schema name");
    Identifiers.requireValid(table, "table name");
  }

  /** The name quoted for SQL text: {@code `main`.`silver`.`silver_orders`}. */
  public String quoted() {
    return Identifiers.quote(catalog)
        + "."
        + Identifiers.quote(schema)
        + "."
        + Identifiers.quote(table);
  }

  /** The schema part quoted for SQL text: {@code `main`.`silver`}. */
  public String quotedSchema() {
    return Identifiers.quote(catalog) + "." + Identifiers.quote(schema);
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + table;
  }
}
