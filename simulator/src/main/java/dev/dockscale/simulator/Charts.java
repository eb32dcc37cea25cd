package dev.dockscale.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts as SVG text, for the docs: grouped bars (a figure per policy per trace), step lines over
 * time (replicas per policy on the real stack), and a timeline (demand and each policy's ready
 * capacity). Plain SVG, so they render wherever markdown does.
 */
public final class Charts {

  private static final String[] COLOURS = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f"
  };
  private static final int WIDTH = 900;
  private static final int HEIGHT = 320;
  private static final int LEFT = 60;
  private static final int BOTTOM = 70;
  private static final int TOP = 30;

  private Charts() {}

  /**
   * Grouped bars: for each group (a trace), a bar per series (a policy), scaled to the largest
   * value.
   */
  public static String bars(
      String title, String unit, List<String> groups, Map<String, List<Double>> series) {
    double max = series.values().stream().flatMap(List::stream).mapToDouble(d -> d).max().orElse(1);
    max = max <= 0 ? 1 : max;
    StringBuilder b = open(title, unit, max);
    double groupWidth = (WIDTH - LEFT - 20.0) / groups.size();
    double barWidth = groupWidth * 0.8 / series.size();
    int s = 0;
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      for (int g = 0; g < groups.size(); g++) {
        double v = e.getValue().get(g);
        double h = (HEIGHT - TOP - BOTTOM) * v / max;
        double x = LEFT + g * groupWidth + groupWidth * 0.1 + s * barWidth;
        b.append(
            f(
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.1f</title></rect>%n",
                x,
                HEIGHT - BOTTOM - h,
                barWidth,
                h,
                COLOURS[s % COLOURS.length],
                escape(e.getKey()),
                escape(groups.get(g)),
                v));
      }
      s++;
    }
    for (int g = 0; g < groups.size(); g++) {
      double x = LEFT + (g + 0.5) * groupWidth;
      b.append(
          f(
              "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-30 %.1f %d)\">%s</text>%n",
              x, HEIGHT - BOTTOM + 14, x, HEIGHT - BOTTOM + 14, escape(groups.get(g))));
    }
    return close(b, List.copyOf(series.keySet()));
  }

  /** Demand (cores) over time, and each policy's ready capacity (cores) at its decisions. */
  public static String timeline(
      String title, Trace trace, double cpus, List<Simulator.Result> results) {
    List<double[]> demand = new ArrayList<>();
    trace.points().forEach(p -> demand.add(new double[] {p.t(), p.demand()}));
    Map<String, List<double[]>> capacity = new LinkedHashMap<>();
    for (Simulator.Result r : results) {
      List<double[]> points = new ArrayList<>();
      r.rows().forEach(row -> points.add(new double[] {row.t(), row.ready() * cpus}));
      capacity.put(r.policy() + " ready capacity", points);
    }
    return lines(title, "cores", demand, capacity);
  }

  /**
   * Step lines of (seconds, value) points, one per series (each held until its next point), such as
   * replicas over time per policy.
   */
  public static String steps(String title, String unit, Map<String, List<double[]>> series) {
    return lines(title, unit, null, series);
  }

  /** An optional straight black line ({@code plain}), then the step lines. */
  private static String lines(
      String title, String unit, List<double[]> plain, Map<String, List<double[]>> series) {
    double end = 1;
    double max = 1e-9;
    List<List<double[]>> all = new ArrayList<>(series.values());
    if (plain != null) {
      all.add(plain);
    }
    for (List<double[]> points : all) {
      for (double[] p : points) {
        end = Math.max(end, p[0]);
        max = Math.max(max, p[1]);
      }
    }
    StringBuilder b = open(title, unit, max);
    List<String> names = new ArrayList<>();
    if (plain != null) {
      StringBuilder line = new StringBuilder();
      for (double[] p : plain) {
        line.append(point(p[0], p[1], end, max));
      }
      b.append(
          f("<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"2\" points=\"%s\"/>%n", line));
      names.add("demand");
    }
    int s = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      StringBuilder line = new StringBuilder();
      double last = Double.NaN;
      for (double[] p : e.getValue()) {
        if (!Double.isNaN(last) && p[1] != last) {
          line.append(point(p[0], last, end, max));
        }
        line.append(point(p[0], p[1], end, max));
        last = p[1];
      }
      b.append(
          f(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
              COLOURS[s++ % COLOURS.length], line));
      names.add(e.getKey());
    }
    b.append(
        f("<text x=\"%d\" y=\"%d\" font-size=\"11\">0 s</text>%n", LEFT, HEIGHT - BOTTOM + 14));
    b.append(
        f(
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.0f s</text>%n",
            WIDTH - 20, HEIGHT - BOTTOM + 14, end));
    return close(b, names, plain != null);
  }

  private static String point(double t, double v, double end, double max) {
    double x = LEFT + (WIDTH - LEFT - 20) * t / end;
    double y = HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * v / max;
    return f("%.1f,%.1f ", x, y);
  }

  private static StringBuilder open(String title, String unit, double max) {
    StringBuilder b = new StringBuilder();
    b.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\">%n",
            WIDTH, HEIGHT + 40));
    b.append(f("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
    b.append(f("<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
    for (int i = 0; i <= 4; i++) {
      double y = HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * i / 4.0;
      b.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n",
              LEFT, y, WIDTH - 20, y, LEFT - 4, y + 3, tick(max * i / 4.0)));
    }
    b.append(
        f(
            "<text x=\"10\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 10 %d)\">%s</text>%n",
            HEIGHT / 2, HEIGHT / 2, escape(unit)));
    return b;
  }

  private static String close(StringBuilder b, List<String> names) {
    return close(b, names, false);
  }

  /** A tick label: whole numbers from 100 up, two decimals below. */
  private static String tick(double v) {
    return v >= 100 ? Long.toString(Math.round(v)) : Reports.num(Math.round(v * 100) / 100.0);
  }

  private static String close(StringBuilder b, List<String> names, boolean firstIsDemand) {
    double x = LEFT;
    int y = HEIGHT + 4;
    for (int i = 0; i < names.size(); i++) {
      double width = 24 + 6.5 * names.get(i).length();
      if (x + width > WIDTH && x > LEFT) {
        x = LEFT;
        y += 16;
      }
      String colour =
          firstIsDemand
              ? (i == 0 ? "#333" : COLOURS[(i - 1) % COLOURS.length])
              : COLOURS[i % COLOURS.length];
      b.append(
          f(
              "<rect x=\"%.1f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n",
              x, y, colour, x + 14, y + 9, escape(names.get(i))));
      x += width;
    }
    return b.append("</svg>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
