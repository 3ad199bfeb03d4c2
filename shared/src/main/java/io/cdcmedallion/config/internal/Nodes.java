package io.cdcmedallion.config.internal;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.sql.Identifiers;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The YAML nodes of one config file and the checks every field shares: single values, lists,
 * identifiers. Errors name the file, the line and the field.
 */
public final class Nodes {
  private final String source;

  /**
   * @param source the file name used in messages
   */
  public Nodes(String source) {
    this.source = source;
  }

  /** The file name used in messages. */
  public String source() {
    return source;
  }

  /** A config error at {@code line}: {@code <source>:<line>: <field> <problem>; expected ...}. */
  public MedallionException error(int line, String field, String problem, String expected) {
    return Errors.configInvalid(source, line, field, problem, expected);
  }

  /** The 1-based line of a node, 0 when unknown. */
  public int line(Node node) {
    return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** The text of a single value. */
  public String scalar(Node node, String path) {
    if (!(node instanceof ScalarNode scalarNode)) {
      throw error(line(node), path, "is not a single value", "a plain value");
    }
    return scalarNode.getValue();
  }

  /** The items of a YAML list. */
  public List<Node> sequence(Node node, String path) {
    if (!(node instanceof SequenceNode sequenceNode)) {
      throw error(
          line(node), path, "is not a list", "a YAML list (items starting with '- ' or [a, b])");
    }
    return sequenceNode.getValue();
  }

  /** The items of a YAML list, or the single value as a one-item list. */
  public List<Node> itemsOrSingle(Node node, String path) {
    return node instanceof ScalarNode ? List.of(node) : sequence(node, path);
  }

  /** A single value that is a plain identifier (letters, digits, underscores). */
  public String identifier(Node node, String path) {
    String value = scalar(node, path);
    if (!Identifiers.isValid(value)) {
      throw error(
          line(node),
          path,
          "is '" + value + "', not a plain identifier",
          "letters, digits and underscores, starting with a letter or underscore (at most 128)");
    }
    return value;
  }
}
