package io.cdcmedallion.postgres.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Password lookup in a libpq password file ({@code ~/.pgpass}): lines {@code
 * hostname:port:database:username:password}, {@code *} matches anything in the first four fields,
 * {@code \:} and {@code \\} escape, {@code #} starts a comment, the first matching line wins. As in
 * libpq, a file that the group or others can read is ignored.
 */
public final class PgPass {
  private PgPass() {}

  /** The password for the connection, or empty when no line matches. */
  public static Optional<String> lookup(
      Path file, String host, int port, String database, String user) {
    if (!Files.isRegularFile(file) || readableByOthers(file)) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    String[] wanted = {host, Integer.toString(port), database, user};
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = split(line);
      if (fields.size() < 5) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < 4 && match; i++) {
        String field = fields.get(i);
        match = field.equals("*") || field.equals(wanted[i]);
      }
      if (match) {
        return Optional.of(fields.get(4));
      }
    }
    return Optional.empty();
  }

  /** Splits on unescaped colons; the fifth field takes the rest of the line. */
  static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        current.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    fields.add(current.toString());
    return fields;
  }

  private static boolean readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      return permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }
}
