package io.cdcmedallion.sql;

import io.cdcmedallion.errors.Errors;
import java.util.regex.Pattern;

/**
 * Identifiers that come from config or the command line are checked against a strict pattern before
 * they reach SQL, and always quoted with backticks when they do.
 */
public final class Identifiers {
  private static final Pattern SIMPLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private Identifiers() {}

  /**
   * True when {@code name} is a plain identifier: a letter or underscore, then letters, digits or
   * underscores.
   */
  public static boolean isValid(String name) {
    return name != null && SIMPLE.matcher(name).matches();
  }

  /**
   * Returns {@code name} unchanged when it is a valid identifier, otherwise throws an error that
   * names {@code what} (for example "catalog" or "key column of entity orders").
   */
  public static String requireValid(String name, String what) {
    if (!isValid(name)) {
      throw Errors.invalidIdentifier(what, name);
    }
    return name;
  }

  /** Quotes a validated identifier with backticks. */
  public static String quote(String name) {
    return "`" + requireValid(name, "identifier") + "`";
  }
}
