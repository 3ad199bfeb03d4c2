package io.cdcmedallion.config.internal;

import io.cdcmedallion.quality.internal.ExpressionSyntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/** Readers shared by several option declarations. */
public final class Readers {
  private Readers() {}

  /** A mapping with {@code section}'s fields. */
  public static Function<Field, Values> mapping(Section section) {
    return f -> section.read(f.nodes(), f.node(), f.path());
  }

  /** A list of mappings with {@code section}'s fields, each named {@code <path>[i]}. */
  public static Function<Field, List<Values>> listOf(Section section) {
    return f -> {
      List<Node> items = f.sequence();
      List<Values> result = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        result.add(section.read(f.nodes(), items.get(i), f.path() + "[" + i + "]"));
      }
      return List.copyOf(result);
    };
  }

  /** An optional plain identifier. */
  public static Optional<String> identifier(Field f) {
    return Optional.of(f.identifier());
  }

  /**
   * A non-empty list (or single value) of distinct column names; a repeated column is reported as
   * {@code <field> lists 'c' twice}.
   */
  public static List<String> columnList(Field f) {
    List<Node> items = f.itemsOrSingle();
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String column = f.nodes().identifier(items.get(i), f.path() + "[" + i + "]");
      if (columns.contains(column)) {
        throw f.nodes()
            .error(
                f.nodes().line(items.get(i)),
                f.path(),
                "lists '" + column + "' twice",
                "each column once");
      }
      columns.add(column);
    }
    if (columns.isEmpty()) {
      throw f.error("is empty", "one or more column names, or leave it out");
    }
    return List.copyOf(columns);
  }

  /** The primary key column(s): one or more distinct identifiers. */
  public static List<String> keys(Field f) {
    List<Node> items = f.itemsOrSingle();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      keys.add(f.nodes().identifier(items.get(i), f.path() + "[" + i + "]"));
    }
    if (keys.isEmpty()) {
      throw f.error("is empty", "one or more primary key columns");
    }
    if (new HashSet<>(keys).size() != keys.size()) {
      throw f.error("lists a column twice: " + keys, "each key column once");
    }
    return List.copyOf(keys);
  }

  /**
   * A boolean Spark SQL expression, stripped; empty text or a syntax error is an error with {@code
   * example} in what is expected.
   */
  public static String sqlExpression(Field f, String example) {
    String expr = f.scalar().strip();
    Optional<String> syntaxError =
        expr.isEmpty() ? Optional.of("it is empty") : ExpressionSyntax.firstError(expr);
    if (syntaxError.isPresent()) {
      throw f.error(
          "is not a valid SQL expression (" + syntaxError.get() + ")",
          "a boolean Spark SQL expression, e.g. " + example);
    }
    return expr;
  }
}
