package dev.dockscale.config;

import dev.dockscale.config.YamlTree.Entry;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A value of the YAML tree with its field path and line, for typed reads that report problems where
 * they are: each read returns the value, or reports what is wrong (path, line, fix) and returns a
 * fallback, so that reading goes on and every problem is found. Scalars are read from their text as
 * written: {@code 010} is the text "010", {@code yes} is "yes", never a guess.
 */
final class Node {

  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  private final String path;
  private final YamlTree tree;
  private final int line;
  private final org.yaml.snakeyaml.nodes.Node value;

  private Node(YamlTree tree, String path, int line, org.yaml.snakeyaml.nodes.Node value) {
    this.tree = tree;
    this.path = path;
    this.line = line;
    this.value = value;
  }

  static Node root(YamlTree tree, org.yaml.snakeyaml.nodes.Node value, int line) {
    return new Node(tree, "", Math.max(1, line), value);
  }

  /** Absent, or written as {@code null}, {@code ~} or nothing. */
  boolean missing() {
    return value == null
        || value instanceof ScalarNode s
            && Tag.NULL.equals(s.getTag())
            && s.getScalarStyle() == ScalarStyle.PLAIN;
  }

  boolean isScalar() {
    return value instanceof ScalarNode;
  }

  boolean isMap() {
    return value instanceof MappingNode;
  }

  boolean isList() {
    return value instanceof SequenceNode;
  }

  boolean has(String key) {
    return !child(key).missing();
  }

  /** The keys of a map, in file order (merged keys included); none for anything else. */
  List<String> keys() {
    return new ArrayList<>(entries().keySet());
  }

  /** The number of elements of a list; 0 for anything else. */
  int size() {
    return value instanceof SequenceNode s ? s.getValue().size() : 0;
  }

  /** The value at {@code key}; a missing one is reported at this node's line. */
  Node child(String key) {
    String childPath = path.isEmpty() ? key : path + "." + key;
    Entry e = entries().get(key);
    return e == null
        ? new Node(tree, childPath, line, null)
        : new Node(tree, childPath, e.line(), e.value());
  }

  Node element(int i) {
    String elementPath = path + "[" + i + "]";
    if (value instanceof SequenceNode s && i < s.getValue().size()) {
      org.yaml.snakeyaml.nodes.Node e = s.getValue().get(i);
      return new Node(tree, elementPath, YamlTree.line(e.getStartMark()), e);
    }
    return new Node(tree, elementPath, line, null);
  }

  private Map<String, Entry> entries() {
    return value instanceof MappingNode m ? tree.entries(m, path) : Map.of();
  }

  void problem(String message) {
    tree.problem(path, line, message);
  }

  /** Reports every key of this map not among {@code keys}, with the nearest known one as a hint. */
  void allow(String... keys) {
    allow(key -> false, keys);
  }

  /** As {@link #allow(String...)}, also allowing every key {@code extra} accepts. */
  void allow(Predicate<String> extra, String... keys) {
    if (missing()) {
      return;
    }
    if (!isMap()) {
      problem("must be a map with " + String.join(", ", keys));
      return;
    }
    Set<String> known = Set.of(keys);
    for (String k : keys()) {
      if (!known.contains(k) && !extra.test(k)) {
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

  /** The text at {@code key}, or {@code null} after reporting that it is missing or no text. */
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
    String text = c.missing() ? null : c.text();
    return text == null ? fallback : text;
  }

  /** This scalar's text as written, or {@code null} after reporting that it is a list or map. */
  String text() {
    if (value instanceof ScalarNode s) {
      return s.getValue();
    }
    problem("must be a single value, not a " + (isList() ? "list" : "map"));
    return null;
  }

  private boolean quoted() {
    return value instanceof ScalarNode s && s.getScalarStyle() != ScalarStyle.PLAIN;
  }

  /** What a value that is not a number looks like, for the message. */
  private String got() {
    if (!(value instanceof ScalarNode s)) {
      return "a " + (isList() ? "list" : "map");
    }
    return "'" + s.getValue() + "'" + (quoted() ? " (quoted: write a number without quotes)" : "");
  }

  boolean bool(String key, boolean fallback) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    if (c.value instanceof ScalarNode s && !c.quoted()) {
      switch (s.getValue()) {
        case "true", "True", "TRUE" -> {
          return true;
        }
        case "false", "False", "FALSE" -> {
          return false;
        }
        default -> {}
      }
    }
    c.problem("must be true or false, got " + c.got());
    return fallback;
  }

  int integer(String key, int fallback, int min, int max) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    String text = c.value instanceof ScalarNode s ? s.getValue() : "";
    if (c.quoted() || !INTEGER.matcher(text).matches()) {
      c.problem("must be a whole number from " + min + " to " + max + ", got " + c.got());
      return fallback;
    }
    String digits = text.replaceFirst("^[-+]", "");
    if (digits.length() > 1 && digits.startsWith("0")) {
      c.problem(
          "write "
              + text
              + " without its leading zero (YAML 1.1 reads a leading 0 as octal): a whole number from "
              + min
              + " to "
              + max);
      return fallback;
    }
    long v = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
    if (v < min || v > max) {
      c.problem("must be from " + min + " to " + max + ", got " + text);
      return fallback;
    }
    return (int) v;
  }

  double decimal(String key, double fallback, double min, double max) {
    return decimal(key, fallback, min, max, null);
  }

  /**
   * A number from {@code min} to {@code max}; {@code why}, when given, explains the range in the
   * message about a value outside it.
   */
  double decimal(String key, double fallback, double min, double max, String why) {
    Node c = child(key);
    if (c.missing()) {
      return fallback;
    }
    String text = c.value instanceof ScalarNode s ? s.getValue() : "";
    if (c.quoted() || !DECIMAL.matcher(text).matches()) {
      c.problem("must be a number from " + fmt(min) + " to " + fmt(max) + ", got " + c.got());
      return fallback;
    }
    double v = Double.parseDouble(text);
    if (!(v >= min && v <= max)) {
      c.problem(
          "must be from "
              + fmt(min)
              + " to "
              + fmt(max)
              + ", got "
              + text
              + (why == null ? "" : ": " + why));
      return fallback;
    }
    return v;
  }

  /**
   * A duration from {@code min} to {@code max}: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h};
   * one outside is reported with both bounds.
   */
  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    Node c = child(key);
    Duration d = parsed(key, null, null, Durations::parse);
    if (d == null) {
      return fallback;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      c.problem(
          "must be from "
              + Durations.format(min)
              + " to "
              + Durations.format(max)
              + ", got "
              + c.text());
      return fallback;
    }
    return d;
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
    String text = c.text();
    if (text == null) {
      return onError;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      c.problem(e.getMessage());
      return onError;
    }
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
