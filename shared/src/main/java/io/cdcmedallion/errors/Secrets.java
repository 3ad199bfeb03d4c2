package io.cdcmedallion.errors;

import java.util.regex.Pattern;

/**
 * Masks secrets in text before it is printed or logged: every form in which a JDBC URL (pgjdbc's in
 * particular), a property list or a driver's message carries one.
 *
 * <ul>
 *   <li>the password of a URL's user info: {@code jdbc:postgresql://bob:secret@host/db}, also
 *       without the scheme, as drivers print a host ({@code bob:secret@host:5432});
 *   <li>the value of any parameter or property whose name contains {@code password}, {@code
 *       passwd}, {@code pwd}, {@code passphrase}, {@code secret}, {@code token}, {@code
 *       credential}, {@code apikey} or is pgjdbc's {@code sslfactoryarg}, in any case and however
 *       prefixed ({@code sslpassword=}, {@code PGPASSWORD=}, {@code {password=x, user=y}}, {@code
 *       "password": "x"}).
 * </ul>
 *
 * <p>Only the secret is replaced (by {@value #MASK}), so a masked URL still says which server and
 * user it was. The same expression ({@link #REGEX}) masks the log lines in {@code log4j2.xml}.
 */
public final class Secrets {
  /** What a secret is replaced with. */
  public static final String MASK = "***";

  private static final String KEY =
      "(?:password|passwd|pwd|passphrase|secret|token|sslfactoryarg|apikey|api_key|credential)";

  /**
   * Matches exactly the secret values (look-behinds keep the names and the user visible). Kept free
   * of {@code ,} {@code }} so that it can stand in a log4j2 {@code %replace} pattern.
   */
  public static final String REGEX =
      "(?i)(?<=(?:^|[\\s/(\\[=\"'])[^/\\s:@?#]{0,128}:)[^\\s@/?#:]+(?=@[^\\s@])"
          + "|(?<="
          + KEY
          + "[a-z0-9_.-]{0,32}(?:[\"']?=[\"']?|[\"']\\s?:\\s?[\"']))[^\\s&,;)\\]'\"]+";

  private static final Pattern SECRET = Pattern.compile(REGEX);

  private Secrets() {}

  /** {@code text} with every secret replaced by {@value #MASK}; null stays null. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return SECRET.matcher(text).replaceAll(MASK);
  }
}
