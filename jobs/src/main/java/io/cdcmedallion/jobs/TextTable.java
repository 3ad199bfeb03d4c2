package io.cdcmedallion.jobs;

import java.io.PrintStream;
import java.util.List;

/** Rows of strings printed as aligned columns, two spaces apart, for people to read. */
final class TextTable {
  private TextTable() {}

  /** Prints {@code rows} (the first is the header); every row has the same number of cells. */
  static void print(List<String[]> rows, PrintStream out) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(i == 0 ? "" : "  ").append(row[i]);
        line.append(" ".repeat(widths[i] - row[i].length()));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
