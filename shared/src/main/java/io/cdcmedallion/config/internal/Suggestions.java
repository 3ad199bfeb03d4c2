package io.cdcmedallion.config.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt field names: the closest known name by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The known name closest to {@code typed}, when it is close enough to be a likely typo: at most
   * one edit for names of up to four letters, two for longer ones, three from nine letters on
   * (insertions, deletions, substitutions and swaps of neighbours count one each; case is ignored).
   */
  public static Optional<String> closest(String typed, Collection<String> known) {
    String lower = typed.toLowerCase(Locale.ROOT);
    int allowed = lower.length() <= 4 ? 1 : lower.length() <= 8 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known.stream().sorted().toList()) {
      int d = distance(lower, name.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** Optimal string alignment distance (Levenshtein plus swaps of neighbouring letters). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
