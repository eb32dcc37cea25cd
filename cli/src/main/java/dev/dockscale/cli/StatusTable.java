package dev.dockscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dockscale status}'s table, in the manner of {@code docker stats}: one row per service of
 * {@code GET /api/v1/services} (and one indented row per replica when asked), columns as wide as
 * their widest cell, {@code -} for what is not known, each line cut to the terminal's width with
 * {@code …}. A service's problems (an image that cannot be had, a crash loop, metrics that cannot
 * be read) follow its rows, one {@code !} line each, outside the columns.
 */
final class StatusTable {

  static final List<String> HEADER =
      List.of(
          "NAME",
          "REPLICAS",
          "DESIRED",
          "CPU %",
          "MEM %",
          "RPS",
          "P95 (ms)",
          "CONTROL",
          "LAST DECISION");
  static final String UNKNOWN = "-";
  private static final String GAP = "   ";
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final boolean replicas;
  private final ZoneId zone;
  private final int width;

  /**
   * @param replicas one row per replica below its service
   * @param zone where an override's end is shown
   * @param width the terminal's columns: longer lines are cut
   */
  StatusTable(boolean replicas, ZoneId zone, int width) {
    this.replicas = replicas;
    this.zone = zone;
    this.width = width;
  }

  /** The table's lines for {@code services}, the API's array. */
  List<String> render(JsonNode services) {
    List<List<String>> rows = new ArrayList<>();
    Map<Integer, List<String>> problemsAfter = new HashMap<>();
    rows.add(HEADER);
    for (JsonNode s : services) {
      rows.add(serviceRow(s));
      if (replicas) {
        for (JsonNode r : s.path("replicas")) {
          rows.add(replicaRow(r));
        }
      }
      List<String> problems = new ArrayList<>();
      s.path("problems").forEach(p -> problems.add("  ! " + p.asText()));
      problemsAfter.put(rows.size() - 1, problems);
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      lines.add(fit(line(rows.get(i), widths)));
      problemsAfter.getOrDefault(i, List.of()).forEach(p -> lines.add(fit(p)));
    }
    return lines;
  }

  private List<String> serviceRow(JsonNode s) {
    JsonNode readings = s.path("readings");
    return List.of(
        text(s.path("name")),
        counts(s.path("replicas")),
        text(s.path("desired")),
        number(readings.path("cpu"), "%.1f"),
        number(readings.path("memory"), "%.1f"),
        number(readings.path("rps"), "%.1f"),
        number(readings.path("latency"), "%.0f"),
        control(s),
        decision(s.path("lastDecision")));
  }

  private static List<String> replicaRow(JsonNode r) {
    return List.of(
        "  " + text(r.path("name")),
        text(r.path("state")),
        "",
        number(r.path("cpu"), "%.1f"),
        number(r.path("memory"), "%.1f"),
        "",
        "",
        "",
        "");
  }

  /** ready/starting/draining/warm. */
  private static String counts(JsonNode replicas) {
    if (!replicas.isArray()) {
      return UNKNOWN;
    }
    int[] n = new int[4];
    for (JsonNode r : replicas) {
      switch (r.path("state").asText()) {
        case "ready" -> n[0]++;
        case "starting" -> n[1]++;
        case "draining" -> n[2]++;
        case "warm" -> n[3]++;
        default -> {
          // unhealthy and exited replicas are in no count; --replicas shows them.
        }
      }
    }
    return n[0] + "/" + n[1] + "/" + n[2] + "/" + n[3];
  }

  /** paused, an override (count and until), both, or {@code -}. */
  private String control(JsonNode s) {
    List<String> parts = new ArrayList<>();
    if (s.path("paused").asBoolean(false)) {
      parts.add("paused");
    }
    JsonNode o = s.path("override");
    if (o.isObject()) {
      String until = o.path("until").asText("");
      parts.add(
          "override "
              + text(o.path("replicas"))
              + " until "
              + (until.isEmpty() ? UNKNOWN : HOUR.format(Instant.parse(until).atZone(zone))));
    }
    return parts.isEmpty() ? UNKNOWN : String.join(", ", parts);
  }

  /** The action, its age and its reason (last, so a narrow terminal cuts the reason). */
  private static String decision(JsonNode d) {
    if (!d.isObject()) {
      return UNKNOWN;
    }
    return text(d.path("action"))
        + " "
        + age(d.path("ageSeconds"))
        + ": "
        + d.path("reason").asText(UNKNOWN);
  }

  /** {@code 3s ago}, {@code 4m ago}, {@code 2h ago}, {@code 3d ago}. */
  static String age(JsonNode seconds) {
    if (!seconds.isNumber()) {
      return UNKNOWN;
    }
    long s = Math.max(0, (long) Math.floor(seconds.asDouble()));
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return s / 60 + "m ago";
    }
    return s < 86_400 ? s / 3600 + "h ago" : s / 86_400 + "d ago";
  }

  private static String text(JsonNode value) {
    return value.isValueNode() && !value.isNull() ? value.asText() : UNKNOWN;
  }

  private static String number(JsonNode value, String format) {
    return value.isNumber() ? String.format(Locale.ROOT, format, value.asDouble()) : UNKNOWN;
  }

  /** The cells padded to their columns, the last one unpadded. */
  private static String line(List<String> row, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      String cell = row.get(i);
      b.append(i == 0 ? "" : GAP).append(cell);
      if (i < row.size() - 1) {
        b.append(" ".repeat(widths[i] - cell.length()));
      }
    }
    return b.toString().stripTrailing();
  }

  /** The line, cut to the width with {@code …} when longer. */
  private String fit(String line) {
    return line.length() <= width ? line : line.substring(0, width - 1) + "…";
  }
}
