package io.cdcmedallion.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config field table of {@code docs/configuration.md}, generated from the option declarations.
 * The table sits between {@link #BEGIN} and {@link #END}; {@code ConfigDocsTest} fails when it
 * differs from the declarations, and {@link #main} rewrites it.
 */
public final class ConfigDocs {
  /** The line before the generated table. */
  public static final String BEGIN = "<!-- config-fields:begin -->";

  /** The line after the generated table. */
  public static final String END = "<!-- config-fields:end -->";

  private ConfigDocs() {}

  /** The generated Markdown: the field table, then the AUTO CDC names. */
  public static String table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "<!-- Generated from shared/src/main/java/io/cdcmedallion/config/internal/*Options.java;"
            + " edit those and regenerate (see ConfigDocsTest). -->");
    lines.add("| field | allowed values | default | meaning |");
    lines.add("| --- | --- | --- | --- |");
    List<String[]> aliases = new ArrayList<>();
    List<String[]> foreign = new ArrayList<>();
    rows(TopLevelOptions.SECTION, "", lines, aliases, foreign, new IdentityHashMap<>());
    lines.add("");
    lines.add(
        "AUTO CDC (`create_auto_cdc_flow`) options under their AUTO CDC names; `keys`,"
            + " `apply_as_deletes` and `ignore_null_updates` have the same name in both:");
    lines.add("");
    lines.add("| AUTO CDC name | here |");
    lines.add("| --- | --- |");
    for (String[] alias : aliases) {
      lines.add("| `" + alias[0] + "` | accepted as `" + alias[1] + "` |");
    }
    for (String[] name : foreign) {
      lines.add("| `" + name[0] + "` | not accepted; the message: \"" + escape(name[1]) + "\" |");
    }
    return String.join("\n", lines) + "\n";
  }

  private static void rows(
      Section section,
      String prefix,
      List<String> lines,
      List<String[]> aliases,
      List<String[]> foreign,
      Map<Section, String> seen) {
    seen.put(section, prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
    for (Option<?> option : section.options()) {
      String field = prefix + option.name();
      String meaning = option.help();
      for (String alias : option.aliases()) {
        meaning += "; also `" + alias + "` (AUTO CDC)";
        aliases.add(new String[] {alias, field});
      }
      Section nested = option.nested().orElse(null);
      String nestedPrefix = field + (option.type().startsWith("list") ? "[]." : ".");
      if (nested != null && seen.containsKey(nested)) {
        meaning += "; fields as under `" + seen.get(nested) + "`";
      }
      lines.add(
          "| `"
              + field
              + "` | "
              + escape(option.type())
              + " | "
              + escape(option.defaultText())
              + " | "
              + escape(meaning)
              + " |");
      if (nested != null && !seen.containsKey(nested)) {
        rows(nested, nestedPrefix, lines, aliases, foreign, seen);
      }
    }
    for (Section.ForeignName name : section.foreignNames()) {
      foreign.add(
          new String[] {
            name.name(), name.name() + " " + name.problem() + "; expected " + name.expected() + "."
          });
    }
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }

  /**
   * {@code document} with the text between {@link #BEGIN} and {@link #END} replaced by {@link
   * #table()}.
   *
   * @throws IllegalArgumentException when the markers are missing
   */
  public static String withTable(String document) {
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "the document has no '" + BEGIN + "' line followed by an '" + END + "' line");
    }
    return document.substring(0, begin + BEGIN.length()) + "\n" + table() + document.substring(end);
  }

  /**
   * Rewrites the table in a Markdown file (default {@code docs/configuration.md}).
   *
   * @param args optionally the file's path
   */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, withTable(text), StandardCharsets.UTF_8);
    System.out.println("Updated the config field table in " + file);
  }
}
