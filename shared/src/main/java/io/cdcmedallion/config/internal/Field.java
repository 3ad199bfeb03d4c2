package io.cdcmedallion.config.internal;

import io.cdcmedallion.errors.MedallionException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * A config field being read: its value node, its path as written (e.g. {@code entities[0].keys})
 * and the options of the same mapping read before it.
 */
public final class Field {
  private final Nodes nodes;
  private final NodeTuple tuple;
  private final String key;
  private final String path;
  private final Values earlier;

  Field(Nodes nodes, NodeTuple tuple, String key, String path, Values earlier) {
    this.nodes = nodes;
    this.tuple = tuple;
    this.key = key;
    this.path = path;
    this.earlier = earlier;
  }

  /** The shared node checks and the file name. */
  public Nodes nodes() {
    return nodes;
  }

  /** The value node. */
  public Node node() {
    return tuple.getValueNode();
  }

  /** The field name as written (an option's name or one of its aliases). */
  public String key() {
    return key;
  }

  /** The field's path as written, e.g. {@code entities[0].keys}. */
  public String path() {
    return path;
  }

  /** The line of the value. */
  public int line() {
    return nodes.line(tuple.getValueNode());
  }

  /** The line of the field name. */
  public int keyLine() {
    return nodes.line(tuple.getKeyNode());
  }

  /** A config error at the value's line, naming this field. */
  public MedallionException error(String problem, String expected) {
    return nodes.error(line(), path, problem, expected);
  }

  /** A config error at the field name's line, naming this field. */
  public MedallionException errorAtKey(String problem, String expected) {
    return nodes.error(keyLine(), path, problem, expected);
  }

  /** The value of an option of the same mapping declared before this one (or its default). */
  public <T> T earlier(Option<T> option) {
    return earlier.get(option);
  }

  /** True when an option of the same mapping declared before this one was given. */
  public boolean given(Option<?> option) {
    return earlier.has(option);
  }

  /** The single value as text. */
  public String scalar() {
    return nodes.scalar(node(), path);
  }

  /** The single value, which must be a plain identifier. */
  public String identifier() {
    return nodes.identifier(node(), path);
  }

  /** The items of a list, or the single value as a one-item list. */
  public List<Node> itemsOrSingle() {
    return nodes.itemsOrSingle(node(), path);
  }

  /** The items of a list. */
  public List<Node> sequence() {
    return nodes.sequence(node(), path);
  }

  /**
   * One of {@code values}, matched case-insensitively by {@code spelling}; otherwise {@code is 'x';
   * expected one of a, b}.
   */
  public <E> E choice(E[] values, Function<E, String> spelling) {
    String value = scalar().toLowerCase(Locale.ROOT);
    return Arrays.stream(values)
        .filter(v -> spelling.apply(v).equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                error(
                    "is '" + value + "'",
                    "one of " + String.join(", ", Arrays.stream(values).map(spelling).toList())));
  }
}
