package io.cdcmedallion.config.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one declaration of a config option: its YAML name, the type and default shown in the docs,
 * its help text, how its value is read and checked, and its value when it is left out. The loader
 * reads options only through their declarations, and the field table in {@code
 * docs/configuration.md} is generated from them.
 *
 * @param <T> the value's Java type
 */
public final class Option<T> {
  private final String name;
  private final List<String> aliases;
  private final String type;
  private final String defaultText;
  private final String help;
  private final Function<Field, T> reader;
  private final T fallback;
  private final String missingHint;
  private final Section nested;

  private Option(
      String name,
      List<String> aliases,
      String type,
      String defaultText,
      String help,
      Function<Field, T> reader,
      T fallback,
      String missingHint,
      Section nested) {
    this.name = Objects.requireNonNull(name, "name");
    this.aliases = List.copyOf(aliases);
    this.type = Objects.requireNonNull(type, "type");
    this.defaultText = defaultText;
    this.help = help;
    this.reader = Objects.requireNonNull(reader, "reader");
    this.fallback = fallback;
    this.missingHint = missingHint;
    this.nested = nested;
  }

  /**
   * An option that is read by {@code reader}; finish the declaration with {@link #orElse} or {@link
   * #required}, and {@link #help}.
   *
   * @param name the YAML field name
   * @param type the allowed values, as shown in the docs (e.g. {@code identifier})
   * @param reader reads and checks the value of a field that is present
   */
  public static <T> Option<T> of(String name, String type, Function<Field, T> reader) {
    return new Option<>(name, List.of(), type, null, null, reader, null, null, null);
  }

  /** A copy whose value, when the field is left out, is {@code value}, shown as {@code shown}. */
  public Option<T> orElse(T value, String shown) {
    return new Option<>(
        name, aliases, type, shown, help, reader, Objects.requireNonNull(value), null, nested);
  }

  /** A copy that must be given; {@code expected} says what to write when it is missing. */
  public Option<T> required(String expected) {
    return new Option<>(name, aliases, type, "required", help, reader, null, expected, nested);
  }

  /** A copy with the help text shown in the docs. */
  public Option<T> help(String text) {
    return new Option<>(
        name, aliases, type, defaultText, text, reader, fallback, missingHint, nested);
  }

  /** A copy that also accepts {@code alias} as its name (e.g. AUTO CDC's spelling). */
  public Option<T> alias(String alias) {
    List<String> more = new java.util.ArrayList<>(aliases);
    more.add(alias);
    return new Option<>(name, more, type, defaultText, help, reader, fallback, missingHint, nested);
  }

  /** A copy whose value is a mapping or a list of mappings with {@code section}'s fields. */
  public Option<T> nested(Section section) {
    return new Option<>(
        name, aliases, type, defaultText, help, reader, fallback, missingHint, section);
  }

  /** The YAML field name. */
  public String name() {
    return name;
  }

  /** Other accepted names, e.g. AUTO CDC's. */
  public List<String> aliases() {
    return aliases;
  }

  /** The allowed values, for the docs. */
  public String type() {
    return type;
  }

  /** The default, for the docs ({@code required} when the option must be given). */
  public String defaultText() {
    return defaultText;
  }

  /** What the option does, for the docs. */
  public String help() {
    return help;
  }

  /** The fields of the mapping(s) this option holds, if any. */
  public Optional<Section> nested() {
    return Optional.ofNullable(nested);
  }

  /** True when the field must be given. */
  public boolean isRequired() {
    return missingHint != null;
  }

  /** What to write when a required field is missing. */
  String missingHint() {
    return missingHint;
  }

  /** The value when the field is left out. */
  T fallback() {
    return fallback;
  }

  T read(Field field) {
    return reader.apply(field);
  }

  /** Checks that the declaration is complete: a default or required, and help text. */
  void requireComplete() {
    if (help == null || defaultText == null) {
      throw new IllegalStateException("config option " + name + " needs help and a default");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
