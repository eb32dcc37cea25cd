package dev.dockscale.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The simulator's outputs: the rows as CSV, the summaries as a table, and an HTML report. */
public final class Reports {

  public static final String CSV_HEADER =
      "policy,t,demand,replicas,ready,cpu_pct,desired,action,reason";
  private static final String ECHARTS =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private Reports() {}

  public static String csv(List<Simulator.Result> results) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (Simulator.Result r : results) {
      for (Simulator.Row row : r.rows()) {
        b.append(row.policy())
            .append(',')
            .append(num(row.t()))
            .append(',')
            .append(num(row.demand()))
            .append(',')
            .append(row.replicas())
            .append(',')
            .append(row.ready())
            .append(',')
            .append(row.cpuPct() == null ? "" : String.format(Locale.ROOT, "%.1f", row.cpuPct()))
            .append(',')
            .append(row.desired())
            .append(',')
            .append(row.action())
            .append(',')
            .append('"')
            .append(row.reason().replace("\"", "\"\""))
            .append('"')
            .append('\n');
      }
    }
    return b.toString();
  }

  static String num(double v) {
    return v == Math.rint(v)
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.3f", v).replaceFirst("0+$", "");
  }

  /** The header of {@link #table}. */
  public static String tableHeader() {
    return String.format(
        Locale.ROOT,
        "%-16s %-18s %11s %7s %7s %8s %10s %7s %7s %9s%n",
        "trace",
        "policy",
        "container-s",
        "slo-%",
        "fail-%",
        "p95-ms",
        "overload-s",
        "events",
        "dir-chg",
        "cost");
  }

  /**
   * A fixed-width table, one line per policy: container-seconds, share of requests within the SLO
   * and failed, p95 latency, overload, scale events, direction changes and the cost by {@code
   * objective}.
   */
  public static String table(
      String trace, List<Summary> summaries, SimulatedService service, Tuner.Objective objective) {
    StringBuilder b = new StringBuilder(tableHeader());
    for (Summary s : summaries) {
      b.append(row(trace, s, service, objective));
    }
    return b.toString();
  }

  public static String row(
      String trace, Summary s, SimulatedService service, Tuner.Objective objective) {
    return String.format(
        Locale.ROOT,
        "%-16s %-18s %11.0f %7.2f %7.2f %8s %10.1f %7.1f %7.1f %9.0f%n",
        trace,
        s.policy(),
        s.containerSeconds(),
        s.sloShare() * 100,
        s.failedShare() * 100,
        Double.isNaN(s.p95())
            ? "-"
            : Double.isInfinite(s.p95())
                ? ">120000"
                : String.format(Locale.ROOT, "%.0f", s.p95() * 1000),
        s.overloadSeconds(),
        s.scaleEvents(),
        s.directionChanges(),
        objective.cost(s, service));
  }

  /**
   * A standalone HTML page: demand, ready capacity and replicas over time, one chart per policy.
   */
  public static String html(Trace trace, double cpus, List<Simulator.Result> results) {
    StringBuilder charts = new StringBuilder();
    StringBuilder rows = new StringBuilder();
    int i = 0;
    for (Simulator.Result r : results) {
      String id = "chart" + i++;
      // Demand as the trace gives it, not only where the policy looked at it.
      String demand =
          trace.points().stream()
              .map(p -> "[" + num(p.t()) + "," + num(p.demand()) + "]")
              .collect(Collectors.joining(","));
      String capacity =
          r.rows().stream()
              .map(row -> "[" + num(row.t()) + "," + num(row.ready() * cpus) + "]")
              .collect(Collectors.joining(","));
      String replicas =
          r.rows().stream()
              .map(row -> "[" + num(row.t()) + "," + row.replicas() + "]")
              .collect(Collectors.joining(","));
      charts
          .append("<h2>")
          .append(escape(r.policy()))
          .append("</h2>\n<div id=\"")
          .append(id)
          .append("\" class=\"chart\"></div>\n");
      rows.append("draw('")
          .append(id)
          .append("', ")
          .append(num(cpus))
          .append(", [")
          .append(demand)
          .append("], [")
          .append(capacity)
          .append("], [")
          .append(replicas)
          .append("]);\n");
    }
    StringBuilder table =
        new StringBuilder(
            "<table><tr><th>policy</th><th>container-seconds</th><th>requests within SLO</th>"
                + "<th>failed</th><th>overload-seconds</th><th>unserved core-seconds</th>"
                + "<th>scale events</th><th>direction changes</th></tr>\n");
    for (Simulator.Result r : results) {
      Summary s = r.summary();
      table.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td>%.0f</td><td>%.2f %%</td><td>%.2f %%</td><td>%.1f</td><td>%.1f</td>"
                  + "<td>%.1f</td><td>%.1f</td></tr>%n",
              escape(s.policy()),
              s.containerSeconds(),
              s.sloShare() * 100,
              s.failedShare() * 100,
              s.overloadSeconds(),
              s.unservedCoreSeconds(),
              s.scaleEvents(),
              s.directionChanges()));
    }
    table.append("</table>\n");
    return """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>dockscale simulate: %s</title>
        <style>body{font-family:sans-serif;margin:2em}.chart{width:100%%;height:320px}table{border-collapse:collapse}
        td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style>
        <script>%s</script></head><body>
        <h1>dockscale simulate: trace %s</h1>
        <p>Demand (cores offered), ready capacity (ready replicas × %s cores) and replicas (started or ready) over time.</p>
        %s
        %s
        <script>
        function draw(id, cpus, demand, capacity, replicas) {
          // One scale for both axes: n replicas sit at the height of n * cpus cores.
          const top = Math.max(...demand.map(p => p[1]), ...replicas.map(p => p[1] * cpus), cpus);
          const cores = Math.ceil(top);
          echarts.init(document.getElementById(id)).setOption({
            animation: false, tooltip: {trigger: 'axis'}, legend: {},
            xAxis: {type: 'value', name: 't (s)', max: 'dataMax'},
            yAxis: [{type: 'value', name: 'cores', max: cores},
                    {type: 'value', name: 'replicas', max: cores / cpus, splitLine: {show: false}}],
            series: [
              {name: 'demand', type: 'line', step: 'end', showSymbol: false, data: demand},
              {name: 'ready capacity', type: 'line', step: 'end', showSymbol: false, areaStyle: {opacity: 0.15}, data: capacity},
              {name: 'replicas', type: 'line', step: 'end', showSymbol: false, yAxisIndex: 1, data: replicas}
            ]});
        }
        %s</script></body></html>
        """
        .formatted(
            escape(trace.name()), echarts(), escape(trace.name()), num(cpus), table, charts, rows);
  }

  private static String echarts() {
    try (InputStream in = Reports.class.getClassLoader().getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new IllegalStateException(
            "the ECharts webjar is missing from the classpath (" + ECHARTS + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  public static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
