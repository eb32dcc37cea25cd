package dev.dockscale.config;

import dev.dockscale.config.ConfigException.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML text composed into a tree of nodes that keep their line (SnakeYAML's composer, not a data
 * binder): aliases point at their anchor's node, scalars keep the text as written, and nothing is
 * converted behind the reader's back. What YAML itself allows but a config must not have is refused
 * here: a key given twice (YAML's last-wins would silently drop the first), an alias inside its own
 * anchor, and aliases that expand to more than {@link #MAX_VALUES} values (a "billion laughs"
 * document).
 */
final class YamlTree {

  /** More characters than any dockscale.yml needs; a bigger text is the wrong file. */
  static final int MAX_CHARS = 1 << 20;

  /** The most values (scalars, lists, maps) the document may hold with every alias expanded. */
  static final long MAX_VALUES = 100_000;

  private final String source;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> origins = new ArrayList<>();
  private final Map<MappingNode, Map<String, Entry>> entries = new IdentityHashMap<>();
  private Node root;

  /** A map's key (where it is written) and its value. */
  record Entry(String key, int line, Node value) {}

  private YamlTree(String source) {
    this.source = source;
  }

  /**
   * The tree of {@code yaml}; its problems so far (duplicate keys) and those its readers find are
   * in {@link #problems()}.
   *
   * @throws ConfigException when the text is not YAML, is empty, or cannot be read safely
   */
  static YamlTree parse(String source, String yaml) {
    YamlTree tree = new YamlTree(source);
    tree.root = tree.compose(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml);
    tree.checkExpansion(tree.root);
    tree.duplicates(tree.root, "", Collections.newSetFromMap(new IdentityHashMap<>()));
    return tree;
  }

  /** The document's root, for typed reads. */
  dev.dockscale.config.Node root() {
    return dev.dockscale.config.Node.root(this, root, line(root.getStartMark()));
  }

  List<Problem> problems() {
    return problems;
  }

  void problem(String path, int line, String message) {
    if (line < 0) {
      // Written somewhere else than the file (a label): named instead of a line.
      problems.add(new Problem(origins.get(-line - 1) + " (" + path + ")", 0, message));
      return;
    }
    problems.add(new Problem(path, line, message));
  }

  /**
   * The mark of a value that comes from {@code origin} rather than the file: problems at it name
   * the origin instead of a line.
   */
  Mark originMark(String origin) {
    origins.add(origin);
    return new Mark(origin, 0, -origins.size() - 1, 0, new int[0], 0);
  }

  /** The document's root node, for adding values from elsewhere before it is read. */
  Node rootNode() {
    return root;
  }

  /** Takes {@code replaced} as the document (a copy with values from elsewhere), before reads. */
  void replaceRoot(Node replaced) {
    entries.clear();
    root = replaced;
  }

  ConfigException failure() {
    return new ConfigException(source, problems);
  }

  private Node compose(String yaml) {
    if (yaml.length() > MAX_CHARS) {
      throw fatal(
          1,
          "the file holds "
              + yaml.length()
              + " characters; a dockscale.yml is a few thousand at most (is this the right file?)");
    }
    LoaderOptions options = new LoaderOptions();
    // Expansion is bounded below, with the line where it blows up; the count alone says nothing.
    options.setMaxAliasesForCollections(Integer.MAX_VALUE);
    options.setAllowRecursiveKeys(false);
    MarkingParser parser = new MarkingParser(new ParserImpl(new StreamReader(yaml), options));
    Node root;
    try {
      root = new Composer(parser, new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what =
          (e.getContext() == null ? "" : e.getContext() + ": ")
              + (e.getProblem() == null ? "" : e.getProblem().strip());
      throw fatal(mark == null ? parser.line() : line(mark), "not valid YAML: " + what + hint(e));
    } catch (ReaderException e) {
      throw fatal(
          lineAt(yaml, e.getPosition()),
          String.format(
              "not valid YAML: character U+%04X is not allowed in a YAML file;"
                  + " remove it or write it as an escape in double quotes",
              e.getCodePoint()));
    } catch (YAMLException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw fatal(parser.line(), "not valid YAML: " + message);
    }
    if (root == null) {
      throw fatal(1, "the file is empty: it needs at least 'services:' with one service");
    }
    return root;
  }

  private static String hint(MarkedYAMLException e) {
    String problem = String.valueOf(e.getProblem());
    if (problem.contains("\\t(TAB)")) {
      return " (indent with spaces, not tabs)";
    }
    if (problem.contains("found undefined alias")) {
      return " (an alias *name needs an anchor &name earlier in the file)";
    }
    return "";
  }

  private ConfigException fatal(int line, String message) {
    return new ConfigException(source, List.of(new Problem("", Math.max(1, line), message)));
  }

  /**
   * Counts the values of the document with every alias expanded, and refuses an alias inside its
   * own anchor. Each node is counted once (by identity), so this is linear in the text however far
   * the aliases would expand.
   */
  private void checkExpansion(Node root) {
    Map<Node, Long> counted = new IdentityHashMap<>();
    Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    long values = expanded(root, counted, open);
    if (values > MAX_VALUES) {
      Node where = firstOver(root, counted);
      throw fatal(
          line(where.getStartMark()),
          "the aliases here expand to more than "
              + MAX_VALUES
              + " values (a 'billion laughs' document); a dockscale.yml needs a few hundred:"
              + " write the values out or use fewer aliases");
    }
  }

  private long expanded(Node node, Map<Node, Long> counted, Set<Node> open) {
    Long known = counted.get(node);
    if (known != null) {
      return known;
    }
    if (!open.add(node)) {
      throw fatal(
          line(node.getStartMark()),
          "the value anchored here holds an alias to itself (a recursive alias);"
              + " a config cannot be endless: write the values out");
    }
    long count = 1;
    for (Node child : children(node)) {
      count = Math.min(MAX_VALUES + 1, count + expanded(child, counted, open));
    }
    open.remove(node);
    counted.put(node, count);
    return count;
  }

  /** The deepest node over the limit whose children, expanded, each stay under it. */
  private static Node firstOver(Node root, Map<Node, Long> counted) {
    Node node = root;
    for (boolean deeper = true; deeper; ) {
      deeper = false;
      for (Node child : children(node)) {
        if (counted.get(child) > MAX_VALUES) {
          node = child;
          deeper = true;
          break;
        }
      }
    }
    return node;
  }

  private static List<Node> children(Node node) {
    if (node instanceof SequenceNode s) {
      return s.getValue();
    }
    if (node instanceof MappingNode m) {
      List<Node> children = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        children.add(t.getKeyNode());
        children.add(t.getValueNode());
      }
      return children;
    }
    return List.of();
  }

  /**
   * Reports every key written twice in one map, with both lines. Each node is visited once, in file
   * order (so an anchor before its aliases), at the first path it is reached by.
   */
  private void duplicates(Node node, String path, Set<Node> seen) {
    if (!seen.add(node)) {
      return;
    }
    if (node instanceof SequenceNode s) {
      for (int i = 0; i < s.getValue().size(); i++) {
        duplicates(s.getValue().get(i), path + "[" + i + "]", seen);
      }
    } else if (node instanceof MappingNode m) {
      Map<String, Integer> lines = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode key)) {
          duplicates(t.getKeyNode(), path, seen);
          duplicates(t.getValueNode(), path, seen);
          continue;
        }
        String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
        int line = line(key.getStartMark());
        Integer first = lines.putIfAbsent(key.getValue(), line);
        if (first != null) {
          problem(
              childPath,
              line,
              "duplicate key '"
                  + key.getValue()
                  + "' on lines "
                  + first
                  + " and "
                  + line
                  + ": keep one (YAML would silently use the last)");
        }
        duplicates(t.getValueNode(), childPath, seen);
      }
    }
  }

  /**
   * The entries of a map in file order, with {@code <<} merge keys expanded: the map's own keys win
   * over merged ones, and of several merged maps the first wins. Problems (a key that is not a
   * name, a merge of something other than maps) are reported once, at {@code path}.
   */
  Map<String, Entry> entries(MappingNode map, String path) {
    Map<String, Entry> cached = entries.get(map);
    if (cached != null) {
      return cached;
    }
    Set<String> own = new HashSet<>();
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode key && !isMerge(key)) {
        own.add(key.getValue());
      }
    }
    Map<String, Entry> result = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      Node keyNode = t.getKeyNode();
      int line = line(keyNode.getStartMark());
      if (!(keyNode instanceof ScalarNode key)) {
        problem(path, line, "a key must be a name, not a list or map");
      } else if (isMerge(key)) {
        for (MappingNode merged : mergedMaps(t.getValueNode(), path, line)) {
          for (Entry e : entries(merged, path).values()) {
            if (!own.contains(e.key())) {
              result.putIfAbsent(e.key(), e);
            }
          }
        }
      } else {
        result.putIfAbsent(key.getValue(), new Entry(key.getValue(), line, t.getValueNode()));
      }
    }
    entries.put(map, result);
    return result;
  }

  private List<MappingNode> mergedMaps(Node value, String path, int line) {
    List<MappingNode> maps = new ArrayList<>();
    if (value instanceof MappingNode m) {
      maps.add(m);
    } else if (value instanceof SequenceNode s
        && s.getValue().stream().allMatch(MappingNode.class::isInstance)) {
      s.getValue().forEach(n -> maps.add((MappingNode) n));
    } else {
      problem(
          path,
          line,
          "'<<' merges a map into this one: write <<: *anchor or <<: [*a, *b], where each anchor is a map");
    }
    return maps;
  }

  private static boolean isMerge(ScalarNode key) {
    return Tag.MERGE.equals(key.getTag());
  }

  static int line(Mark mark) {
    return mark == null ? 0 : mark.getLine() + 1;
  }

  private static int lineAt(String text, int position) {
    int line = 1;
    for (int i = 0; i < Math.min(position, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** A parser that remembers where its last event began, for errors that carry no mark. */
  private static final class MarkingParser implements Parser {
    private final Parser parser;
    private Mark last;

    MarkingParser(Parser parser) {
      this.parser = parser;
    }

    int line() {
      return YamlTree.line(last);
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return remember(parser.peekEvent());
    }

    @Override
    public Event getEvent() {
      return remember(parser.getEvent());
    }

    private Event remember(Event e) {
      if (e != null && e.getStartMark() != null) {
        last = e.getStartMark();
      }
      return e;
    }
  }
}
