package io.cdcmedallion.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** How {@code query} prints a result. */
enum ResultFormat {
  /** Aligned columns for people. */
  TABLE,
  /** RFC 4180 CSV with a header row. */
  CSV,
  /** One JSON object per line (JSON Lines); nulls kept. */
  JSON;

  /**
   * Prints {@code result}; at most {@code maxRows} rows for {@link #TABLE}, all rows otherwise.
   * Values are rendered by Spark's own string cast, so they read the same in every format.
   */
  void print(Dataset<Row> result, PrintStream out, int maxRows) {
    switch (this) {
      case JSON -> {
        Dataset<Row> lines =
            result.select(to_json(struct(col("*")), Map.of("ignoreNullFields", "false")));
        for (Iterator<Row> it = lines.toLocalIterator(); it.hasNext(); ) {
          out.println(it.next().getString(0));
        }
      }
      case CSV -> {
        String[] names = result.columns();
        out.println(csvLine(List.of(names)));
        for (Iterator<Row> it = asStrings(result).toLocalIterator(); it.hasNext(); ) {
          out.println(csvLine(values(it.next())));
        }
      }
      case TABLE -> printTable(result, out, maxRows);
    }
    out.flush();
  }

  private static Dataset<Row> asStrings(Dataset<Row> result) {
    List<Column> columns = new ArrayList<>();
    for (String name : result.columns()) {
      columns.add(result.col(name).cast("string"));
    }
    return result.select(columns.toArray(new Column[0]));
  }

  private static List<String> values(Row row) {
    List<String> values = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      values.add(row.isNullAt(i) ? null : row.getString(i));
    }
    return values;
  }

  static String csvLine(List<String> values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      String v = values.get(i);
      if (v == null) {
        continue;
      }
      boolean quote =
          v.contains(",")
              || v.contains("\"")
              || v.contains("\n")
              || v.contains("\r")
              || v.isEmpty()
              || !v.strip().equals(v);
      line.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
    }
    return line.toString();
  }

  private static void printTable(Dataset<Row> result, PrintStream out, int maxRows) {
    String[] names = result.columns();
    List<Row> rows = asStrings(result).limit(maxRows + 1).collectAsList();
    boolean truncated = rows.size() > maxRows;
    if (truncated) {
      rows = rows.subList(0, maxRows);
    }
    int[] widths = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      widths[i] = names[i].length();
    }
    List<List<String>> cells = new ArrayList<>();
    for (Row row : rows) {
      List<String> values = values(row);
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        String v = values.get(i) == null ? "NULL" : values.get(i);
        shown.add(v);
        widths[i] = Math.max(widths[i], v.length());
      }
      cells.add(shown);
    }
    out.println(tableLine(List.of(names), widths));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (List<String> row : cells) {
      out.println(tableLine(row, widths));
    }
    out.printf(
        "(%d row%s%s)%n",
        rows.size(),
        rows.size() == 1 ? "" : "s",
        truncated ? ", more not shown: raise --max-rows" : "");
  }

  private static String tableLine(List<String> values, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", values.get(i)));
    }
    return line.toString().stripTrailing();
  }
}
