package io.cdcmedallion.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/** Writes the harness's results: a Markdown table, a CSV, and a PNG plot of time against rows. */
final class Report {
  static final String TABLE = "results.md";
  static final String CSV = "results.csv";
  static final String PLOT = "bench-plot.png";

  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0x17becf),
    new Color(0x7f7f7f)
  };

  private Report() {}

  static void write(Path out, List<Measurement> results, int runs, String arguments)
      throws IOException {
    Files.writeString(out.resolve(TABLE), markdown(results, runs, arguments));
    Files.writeString(out.resolve(CSV), csv(results));
    plot(results, out.resolve(PLOT));
  }

  static String markdown(List<Measurement> results, int runs, String arguments) {
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(Machine.describe()).append("\n\n");
    md.append("Command: `./medallion bench ").append(arguments).append("`; ");
    md.append(runs).append(" runs per variant, each variant in a fresh JVM: \"cold\" is its ");
    md.append("first run, \"warm\" the median of the others.\n\n");
    md.append("| rows | variant | rows out | cold s | warm median s | rows/s (warm) ");
    md.append("| peak RSS MiB | vs cookbook SQL on Spark | vs DuckDB | vs silver full |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<Long, List<Measurement>> size : bySize(results).entrySet()) {
      for (Measurement m : size.getValue()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %,d | %s | %,d | %.1f | %.1f | %,.0f | %,d | %s | %s | %s |%n",
                m.rowsIn(),
                m.variant().label(),
                m.rowsOut(),
                m.coldMillis() / 1000.0,
                m.warmMedianMillis() / 1000.0,
                m.rowsPerSecond(),
                m.peakRssKib() / 1024,
                ratio(m, size.getValue(), Variant.COOKBOOK_SPARK),
                ratio(m, size.getValue(), Variant.DUCKDB),
                ratio(m, size.getValue(), Variant.SILVER_FULL)));
      }
    }
    return md.toString();
  }

  /** Warm median of {@code m} over that of {@code base} at the same size, e.g. "0.85×". */
  private static String ratio(Measurement m, List<Measurement> size, Variant base) {
    return size.stream()
        .filter(b -> b.variant() == base)
        .findFirst()
        .filter(b -> m.variant().plotted())
        .map(
            b ->
                String.format(
                    Locale.ROOT,
                    "%.2f×",
                    (double) m.warmMedianMillis() / Math.max(1, b.warmMedianMillis())))
        .orElse("");
  }

  static String csv(List<Measurement> results) {
    StringBuilder csv =
        new StringBuilder(
            "rows_in,variant,rows_out,session_ms,cold_ms,warm_median_ms,warm_ms,peak_rss_kib\n");
    for (Measurement m : results) {
      csv.append(m.rowsIn())
          .append(',')
          .append(m.variant().cliName())
          .append(',')
          .append(m.rowsOut())
          .append(',')
          .append(m.sessionMillis())
          .append(',')
          .append(m.coldMillis())
          .append(',')
          .append(m.warmMedianMillis())
          .append(',')
          .append(String.join(" ", m.warmMillis().stream().map(String::valueOf).toList()))
          .append(',')
          .append(m.peakRssKib())
          .append('\n');
    }
    return csv.toString();
  }

  /** Results grouped by history size, smallest first, in the order they were measured. */
  private static Map<Long, List<Measurement>> bySize(List<Measurement> results) {
    // The generate step fixes the size of each lakehouse; later variants report the same rows.
    Map<Long, List<Measurement>> sizes = new TreeMap<>();
    for (Measurement m : results) {
      sizes.computeIfAbsent(m.rowsIn(), k -> new ArrayList<>()).add(m);
    }
    return sizes;
  }

  /** Log-log plot of warm median seconds against history rows, one line per variant. */
  static void plot(List<Measurement> results, Path file) throws IOException {
    Map<Variant, TreeMap<Long, Double>> series = new EnumMap<>(Variant.class);
    for (Measurement m : results) {
      if (m.variant().plotted()) {
        series
            .computeIfAbsent(m.variant(), v -> new TreeMap<>())
            .put(m.rowsIn(), Math.max(0.01, m.warmMedianMillis() / 1000.0));
      }
    }
    int width = 900;
    int height = 600;
    int left = 90;
    int right = 260;
    int top = 50;
    int bottom = 70;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);

    double minX = Double.MAX_VALUE;
    double maxX = 0;
    double minY = Double.MAX_VALUE;
    double maxY = 0;
    for (TreeMap<Long, Double> s : series.values()) {
      for (Map.Entry<Long, Double> p : s.entrySet()) {
        minX = Math.min(minX, p.getKey());
        maxX = Math.max(maxX, p.getKey());
        minY = Math.min(minY, p.getValue());
        maxY = Math.max(maxY, p.getValue());
      }
    }
    if (series.isEmpty()) {
      minX = 1;
      maxX = 10;
      minY = 1;
      maxY = 10;
    }
    double x0 = Math.floor(Math.log10(minX));
    double x1 = Math.max(x0 + 1, Math.ceil(Math.log10(maxX)));
    double y0 = Math.floor(Math.log10(minY));
    double y1 = Math.max(y0 + 1, Math.ceil(Math.log10(maxY)));
    int plotW = width - left - right;
    int plotH = height - top - bottom;

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(new Color(0xdddddd));
    for (double e = x0; e <= x1; e++) {
      int x = left + (int) ((e - x0) / (x1 - x0) * plotW);
      g.drawLine(x, top, x, top + plotH);
      g.setColor(Color.DARK_GRAY);
      g.drawString(rowsLabel(Math.pow(10, e)), x - 15, top + plotH + 20);
      g.setColor(new Color(0xdddddd));
    }
    for (double e = y0; e <= y1; e++) {
      int y = top + plotH - (int) ((e - y0) / (y1 - y0) * plotH);
      g.drawLine(left, y, left + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(secondsLabel(Math.pow(10, e)), left - 60, y + 5);
      g.setColor(new Color(0xdddddd));
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, plotW, plotH);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString("Warm median time against history rows (log-log)", left, top - 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString("bronze history rows", left + plotW / 2 - 60, height - 25);
    g.drawString("seconds", 15, top + plotH / 2);

    int index = 0;
    for (Map.Entry<Variant, TreeMap<Long, Double>> s : series.entrySet()) {
      Color color = COLORS[index % COLORS.length];
      g.setColor(color);
      g.setStroke(new BasicStroke(2.2f));
      int[] previous = null;
      for (Map.Entry<Long, Double> p : s.getValue().entrySet()) {
        int x = left + (int) ((Math.log10(p.getKey()) - x0) / (x1 - x0) * plotW);
        int y = top + plotH - (int) ((Math.log10(p.getValue()) - y0) / (y1 - y0) * plotH);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (previous != null) {
          g.drawLine(previous[0], previous[1], x, y);
        }
        previous = new int[] {x, y};
      }
      int ly = top + 20 + index * 22;
      g.fillRect(left + plotW + 20, ly - 9, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString(s.getKey().label(), left + plotW + 45, ly - 3);
      index++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static String rowsLabel(double rows) {
    if (rows >= 1e6) {
      return String.format(Locale.ROOT, "%.0fM", rows / 1e6);
    }
    if (rows >= 1e3) {
      return String.format(Locale.ROOT, "%.0fk", rows / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", rows);
  }

  private static String secondsLabel(double seconds) {
    return seconds >= 1
        ? String.format(Locale.ROOT, "%.0f s", seconds)
        : String.format(Locale.ROOT, "%.2f s", seconds);
  }
}
