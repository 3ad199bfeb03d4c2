package io.cdcmedallion.gold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gold tables implemented in Java. A gold entry in the pipeline config without {@code sql} must
 * name one of these.
 */
public final class BuiltinGoldTables {
  private static final Map<String, GoldTable> TABLES =
      index(List.of(new DailyOrderSummary(), new CustomerLifetimeValue(), new DailyProductSales()));

  private BuiltinGoldTables() {}

  /** Names of the built-in gold tables, in a fixed order. */
  public static Set<String> names() {
    return TABLES.keySet();
  }

  /** The built-in gold table with this name, if there is one. */
  public static Optional<GoldTable> byName(String name) {
    return Optional.ofNullable(TABLES.get(name));
  }

  private static Map<String, GoldTable> index(List<GoldTable> tables) {
    Map<String, GoldTable> byName = new LinkedHashMap<>();
    for (GoldTable table : tables) {
      byName.put(table.name(), table);
    }
    return Collections.unmodifiableMap(byName);
  }
}
