package io.cdcmedallion.config;

import io.cdcmedallion.sql.Identifiers;
import java.util.Objects;
import java.util.Optional;

/**
 * A gold table to build: either a built-in Java table (no {@code sql}) or one SELECT statement read
 * from a {@code .sql} file.
 *
 * @param name table name in the gold schema
 * @param sql the SELECT text, when the table is defined in SQL
 * @param sqlSource where the SELECT text came from, for messages
 */
public record GoldTableConfig(String name, Optional<String> sql, Optional<String> sqlSource) {
  public GoldTableConfig {
    Identifiers.requireValid(name, "gold table name");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(sqlSource, "sqlSource");
  }

  /** A built-in (Java) gold table. */
  public static GoldTableConfig builtin(String name) {
    return new GoldTableConfig(name, Optional.empty(), Optional.empty());
  }

  /** A gold table defined by one SELECT statement. */
  public static GoldTableConfig ofSql(String name, String select, String source) {
    return new GoldTableConfig(name, Optional.of(select), Optional.of(source));
  }

  /** True when this table is defined in SQL rather than Java. */
  public boolean isSql() {
    return sql.isPresent();
  }
}
