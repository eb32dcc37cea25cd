package dev.dockscale.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.dockscale.config.ConfigException.Problem;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A node of the YAML tree with its field path, for typed reads that report problems where they are:
 * each read returns the value, or reports what is wrong (path, line, fix) and returns a fallback so
 * that reading goes on and every problem is found.
 */
final class Node {
  final String path;
  final JsonNode node;
  private final Map<String, Integer> lines;
  private final List<Problem> problems;

  private Node(String path, JsonNode node, Map<String, Integer> lines, List<Problem> problems) {
    this.path = path;
    this.node = node == null ? MissingNode.getInstance() : node;
    this.lines = lines;
    this.problems = problems;
  }

  /**
   * The document's root; {@code lines} maps JSON pointers to lines, problems go to {@code
   * problems}.
   */
  static Node root(JsonNode node, Map<String, Integer> lines, List<Problem> problems) {
    return new Node("", node, lines, problems);
  }

  boolean missing() {
    return node.isMissingNode() || node.isNull();
  }

  boolean isMap() {
    return node.isObject();
  }

  boolean isList() {
    return node.isArray();
  }

  boolean isScalar() {
    return !missing() && !node.isContainerNode();
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  /** The keys of a map, in file order; none for anything else. */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /** The number of elements of a list; 0 for anything else. */
  int size() {
    return node.isArray() ? node.size() : 0;
  }

  Node child(String key) {
    return new Node(path.isEmpty() ? key : path + "." + key, node.get(key), lines, problems);
  }

  Node element(int i) {
    return new Node(path + "[" + i + "]", node.get(i), lines, problems);
  }

  int line() {
    String pointer =
        "/" + path.replace("~", "~0").replaceAll("\\[(\\d+)]", ".$1").replace(".", "/");
    if (path.isEmpty()) {
      return 0;
    }
    Integer line = lines.get(pointer);
    // A missing field is reported at its parent.
    for (String p = pointer; line == null && p.lastIndexOf('/') > 0; ) {
      p = p.substring(0, p.lastIndexOf('/'));
      line = lines.get(p);
    }
    return line == null ? 0 : line;
  }

  void problem(String message) {
    problems.add(new Problem(path, line(), message));
  }

  /** Reports every key of this map not among {@code keys}, with the nearest known one as a hint. */
  void allow(String... keys) {
    if (missing()) {
      return;
    }
    if (!node.isObject()) {
      problem("must be a map with " + String.join(", ", keys));
      return;
    }
    Set<String> known = Set.of(keys);
    for (String k : keys()) {
      if (!known.contains(k)) {
        String hint = Hints.closest(k, List.of(keys));
        child(k)
            .problem(
                "unknown key '"
                    + k
                    + "'"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                    + "; known here: "
                    + String.join(", ", keys));
      }
    }
  }

  String required(String key) {
    Node c = child(key);
    if (c.missing()) {
      c.problem("required");
      return null;
    }
    return c.text();
  }

  String string(String key, String fallback) {
    Node c = child(key);
    return c.missing() ? fallback : c.text();
  }

  /** This scalar's text. */
  String text() {
    if (node.isContainerNode()) {
      problem("must be a single value, not a " + (node.isArray() ? "list" : "map"));
      return "";
    }
    return node.asText().trim();
  }

  boolean bool(String key, boolean fallback) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    if (!c.node.isBoolean()) {
      c.problem("must be true or false, got '" + c.node.asText() + "'");
      return fallback;
    }
    return c.node.booleanValue();
  }

  int integer(String key, int fallback, int min, int max) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    if (!c.node.canConvertToInt() || !c.node.isIntegralNumber()) {
      c.problem(
          "must be a whole number from " + min + " to " + max + ", got '" + c.node.asText() + "'");
      return fallback;
    }
    int value = c.node.intValue();
    if (value < min || value > max) {
      c.problem("must be from " + min + " to " + max + ", got " + value);
      return fallback;
    }
    return value;
  }

  double decimal(String key, double fallback, double min, double max) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    if (!c.node.isNumber()) {
      c.problem(
          "must be a number from "
              + fmt(min)
              + " to "
              + fmt(max)
              + ", got '"
              + c.node.asText()
              + "'");
      return fallback;
    }
    double value = c.node.doubleValue();
    if (!(value >= min && value <= max)) {
      c.problem("must be from " + fmt(min) + " to " + fmt(max) + ", got " + fmt(value));
      return fallback;
    }
    return value;
  }

  Duration duration(String key, Duration fallback) {
    return parsed(key, fallback, fallback, Durations::parse);
  }

  long size(String key, long fallback) {
    return parsed(key, fallback, fallback, Sizes::parse);
  }

  /** A step; {@code null} (after reporting the problem) when it cannot be read. */
  Change change(String key, Change fallback) {
    return parsed(key, fallback, null, Change::parse);
  }

  /** The value at {@code key} read by {@code parser}, whose error message becomes the problem. */
  private <T> T parsed(String key, T fallback, T onError, Function<String, T> parser) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    try {
      return parser.apply(c.text());
    } catch (IllegalArgumentException e) {
      c.problem(e.getMessage());
      return onError;
    }
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
