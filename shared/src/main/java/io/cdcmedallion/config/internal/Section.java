package io.cdcmedallion.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The declared options of one YAML mapping (the top level, {@code schemas}, an entity, a gold
 * table, an expectation, {@code incremental}), read in declaration order. Unknown fields are errors
 * with a "did you mean" suggestion; names from other tools (AUTO CDC) that are not options here get
 * their own explanation.
 */
public final class Section {
  /** The path the loader gives the top-level mapping; its fields are named without a prefix. */
  public static final String TOP_LEVEL = "(top level)";

  /**
   * A field name another tool uses that is not an option here, with what to write instead.
   *
   * @param name the other tool's field name
   * @param problem why it is not accepted, e.g. {@code is AUTO CDC's ...}
   * @param expected what to write instead
   */
  public record ForeignName(String name, String problem, String expected) {}

  private final List<Option<?>> options;
  private final Map<String, ForeignName> foreignNames = new LinkedHashMap<>();

  private Section(List<Option<?>> options, List<ForeignName> foreign) {
    this.options = List.copyOf(options);
    Map<String, Option<?>> seen = new LinkedHashMap<>();
    for (Option<?> option : this.options) {
      option.requireComplete();
      for (String name : names(option)) {
        if (seen.put(name, option) != null) {
          throw new IllegalStateException("config field " + name + " is declared twice");
        }
      }
    }
    for (ForeignName name : foreign) {
      if (seen.containsKey(name.name())) {
        throw new IllegalStateException("foreign name " + name.name() + " is an option");
      }
      foreignNames.put(name.name(), name);
    }
  }

  /** A mapping with these options, in the order they are read and documented. */
  public static Section of(Option<?>... options) {
    return new Section(List.of(options), List.of());
  }

  /** A copy that answers these names from other tools with their explanation. */
  public Section withForeignNames(ForeignName... names) {
    List<ForeignName> all = new ArrayList<>(foreignNames.values());
    all.addAll(List.of(names));
    return new Section(options, all);
  }

  /** The options, in declaration order. */
  public List<Option<?>> options() {
    return options;
  }

  /** The explained names of other tools. */
  public List<ForeignName> foreignNames() {
    return List.copyOf(foreignNames.values());
  }

  /** The option names (without aliases), sorted, as listed in messages. */
  public List<String> names() {
    return options.stream().map(Option::name).sorted().toList();
  }

  private static List<String> names(Option<?> option) {
    List<String> names = new ArrayList<>();
    names.add(option.name());
    names.addAll(option.aliases());
    return names;
  }

  private Optional<Option<?>> option(String key) {
    return options.stream().filter(o -> names(o).contains(key)).findFirst();
  }

  /** Every option at its default, for a mapping that is left out. */
  public Values defaults() {
    Values values = new Values(null, null, TOP_LEVEL);
    for (Option<?> option : options) {
      if (option.isRequired()) {
        throw new IllegalStateException("a section with required options cannot be left out");
      }
      values.putDefault(option);
    }
    return values;
  }

  /**
   * Reads a mapping: checks that every field is known and given once, then reads each option in
   * declaration order, so that an option's reader sees the options declared before it.
   */
  public Values read(Nodes nodes, Node node, String path) {
    String fieldList = "fields " + String.join(", ", names());
    if (!(node instanceof MappingNode mapping)) {
      throw nodes.error(nodes.line(node), path, "is not a mapping", fieldList);
    }
    Map<Option<?>, NodeTuple> tuples = new LinkedHashMap<>();
    Map<Option<?>, String> keys = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = nodes.scalar(tuple.getKeyNode(), path);
      int line = nodes.line(tuple.getKeyNode());
      Option<?> option = option(key).orElseThrow(() -> unknown(nodes, line, path, key, fieldList));
      String before = keys.put(option, key);
      if (before != null) {
        throw before.equals(key)
            ? nodes.error(line, qualify(path, key), "is given twice", "each field once")
            : nodes.error(
                line,
                qualify(path, key),
                "is the same option as " + before + ", given above",
                "one of the two");
      }
      tuples.put(option, tuple);
    }
    Values values = new Values(nodes, node, path);
    for (Option<?> option : options) {
      NodeTuple tuple = tuples.get(option);
      if (tuple != null) {
        String key = keys.get(option);
        values.put(option, tuple, key, new Field(nodes, tuple, key, qualify(path, key), values));
      } else if (option.isRequired()) {
        throw nodes.error(
            nodes.line(node), qualify(path, option.name()), "is missing", option.missingHint());
      } else {
        values.putDefault(option);
      }
    }
    return values;
  }

  private RuntimeException unknown(
      Nodes nodes, int line, String path, String key, String fieldList) {
    ForeignName foreign = foreignNames.get(key);
    if (foreign != null) {
      return nodes.error(line, qualify(path, key), foreign.problem(), foreign.expected());
    }
    List<String> known = new ArrayList<>();
    options.forEach(o -> known.addAll(names(o)));
    String suggestion =
        Suggestions.closest(key, known)
            .map(name -> " (did you mean '" + canonical(name) + "'?)")
            .orElse("");
    return nodes.error(line, qualify(path, key), "is not a known field", fieldList + suggestion);
  }

  private String canonical(String name) {
    return option(name).map(Option::name).orElse(name);
  }

  static String qualify(String path, String key) {
    return path.equals(TOP_LEVEL) ? key : path + "." + key;
  }
}
