package io.cdcmedallion.config.internal;

import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** The values read from one YAML mapping, by option, with the lines they came from. */
public final class Values {
  private final Nodes nodes;
  private final Node node;
  private final String path;
  private final Map<Option<?>, Object> values = new HashMap<>();
  private final Map<Option<?>, NodeTuple> tuples = new HashMap<>();
  private final Map<Option<?>, String> keys = new HashMap<>();

  Values(Nodes nodes, Node node, String path) {
    this.nodes = nodes;
    this.node = node;
    this.path = path;
  }

  <T> void put(Option<T> option, NodeTuple tuple, String key, Field field) {
    tuples.put(option, tuple);
    keys.put(option, key);
    values.put(option, option.read(field));
  }

  <T> void putDefault(Option<T> option) {
    values.put(option, option.fallback());
  }

  /** The option's value: as read, or its default. */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    if (!values.containsKey(option)) {
      throw new IllegalStateException(option + " is read after an option that needs it");
    }
    return (T) values.get(option);
  }

  /** True when the field was given. */
  public boolean has(Option<?> option) {
    return tuples.containsKey(option);
  }

  /** The line of the mapping itself. */
  public int line() {
    return node == null ? 0 : nodes.line(node);
  }

  /** The line of the option's value (of the mapping when the option was left out). */
  public int valueLine(Option<?> option) {
    NodeTuple tuple = tuples.get(option);
    return tuple == null ? line() : nodes.line(tuple.getValueNode());
  }

  /** The path of the option as written, e.g. {@code entities[0].name}. */
  public String path(Option<?> option) {
    return Section.qualify(path, keys.getOrDefault(option, option.name()));
  }
}
