package dev.dockscale.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Policy on a Swarm service itself, as Swarm users keep it: its {@code dockscale.*} labels read as
 * the keys of its service in dockscale.yml ({@code dockscale.replicas.max=8} is {@code replicas: {
 * max: 8 }}), added to the file's tree where the file does not set the key, so they are validated
 * by the same readers with the same messages; a problem names the label instead of a line. The file
 * wins where both speak.
 */
public final class ServiceLabels {

  static final String PREFIX = "dockscale.";

  /** dockscale's own labels on what it creates: who owns it, not how to scale it. */
  static final Set<String> IDENTITY =
      Set.of(
          "managed",
          "project",
          "service",
          "template",
          "role",
          "index",
          "listen",
          "replaces",
          "protect");

  /** What the Swarm service itself says (its image, environment, limits, placement). */
  static final Set<String> OWN = Set.of("image", "env", "resources", "placement");

  private static final Resolver RESOLVER = new Resolver();

  private ServiceLabels() {}

  /**
   * Whether a label of a Swarm service is read as policy: {@code dockscale.*}, but not whose it is.
   */
  public static boolean isPolicy(String label) {
    return label.startsWith(PREFIX) && !IDENTITY.contains(label.substring(PREFIX.length()));
  }

  /** Adds each service's labels to its map under {@code services:} of {@code tree}. */
  static void merge(YamlTree tree, Map<String, Map<String, String>> labelsByService) {
    if (labelsByService.isEmpty()) {
      return;
    }
    // Each value of its own: a label added to one service must not reach another through an anchor.
    tree.replaceRoot(copy(tree.rootNode()));
    MappingNode services = child(tree.rootNode(), "services");
    if (services == null) {
      return;
    }
    labelsByService.forEach(
        (service, labels) -> {
          MappingNode map = child(services, service);
          if (map != null) {
            new TreeMap<>(labels).forEach((label, value) -> add(tree, service, map, label, value));
          }
        });
  }

  private static void add(
      YamlTree tree, String service, MappingNode map, String label, String value) {
    if (!isPolicy(label)) {
      return;
    }
    String key = label.substring(PREFIX.length());
    String origin = "label " + label + "=" + value + " on the Swarm service of " + service;
    List<String> parts = List.of(key.split("\\.", -1));
    if (parts.stream().anyMatch(String::isEmpty)) {
      tree.problem(origin, 0, "is not a key of a service: write e.g. dockscale.replicas.max=8");
      return;
    }
    if (OWN.contains(parts.get(0))) {
      tree.problem(
          origin,
          0,
          parts.get(0)
              + " is the Swarm service's own setting: change it with 'docker service update', or in dockscale.yml for a service dockscale creates");
      return;
    }
    if (value.isBlank() || Tag.NULL.equals(RESOLVER.resolve(NodeId.scalar, value, true))) {
      tree.problem(
          origin, 0, "has no value: give one (e.g. dockscale.replicas.max=8), or remove it");
      return;
    }
    Mark mark = tree.originMark(origin);
    MappingNode at = map;
    for (String part : parts.subList(0, parts.size() - 1)) {
      Node next = value(at, part);
      if (next == null) {
        MappingNode created =
            new MappingNode(Tag.MAP, true, new ArrayList<>(), mark, mark, FlowStyle.BLOCK);
        at.getValue().add(new NodeTuple(scalar(part, mark), created));
        at = created;
      } else if (next instanceof MappingNode m) {
        at = m;
      } else {
        // The file sets this key to a value of its own: the file wins.
        return;
      }
    }
    String last = parts.get(parts.size() - 1);
    if (value(at, last) == null) {
      at.getValue().add(new NodeTuple(scalar(last, mark), scalar(value, mark)));
    }
  }

  private static ScalarNode scalar(String text, Mark mark) {
    Tag tag = RESOLVER.resolve(NodeId.scalar, text, true);
    return new ScalarNode(tag, text, mark, mark, ScalarStyle.PLAIN);
  }

  private static MappingNode child(Node node, String key) {
    return node instanceof MappingNode m && value(m, key) instanceof MappingNode c ? c : null;
  }

  /** The value of {@code key} in {@code map}: its own, else one a {@code <<} merge brings. */
  private static Node value(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k
          && !Tag.MERGE.equals(k.getTag())
          && key.equals(k.getValue())) {
        return t.getValueNode();
      }
    }
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && Tag.MERGE.equals(k.getTag())) {
        List<Node> merged =
            t.getValueNode() instanceof SequenceNode s ? s.getValue() : List.of(t.getValueNode());
        for (Node m : merged) {
          Node found = m instanceof MappingNode mm ? value(mm, key) : null;
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  /** A deep copy, every alias its own copy (the expansion is bounded when the text is read). */
  private static Node copy(Node n) {
    if (n instanceof MappingNode m) {
      List<NodeTuple> tuples = new ArrayList<>();
      m.getValue()
          .forEach(t -> tuples.add(new NodeTuple(copy(t.getKeyNode()), copy(t.getValueNode()))));
      return new MappingNode(
          m.getTag(), true, tuples, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
    }
    if (n instanceof SequenceNode s) {
      List<Node> items = new ArrayList<>();
      s.getValue().forEach(i -> items.add(copy(i)));
      return new SequenceNode(
          s.getTag(), true, items, s.getStartMark(), s.getEndMark(), s.getFlowStyle());
    }
    ScalarNode sc = (ScalarNode) n;
    return new ScalarNode(
        sc.getTag(), sc.getValue(), sc.getStartMark(), sc.getEndMark(), sc.getScalarStyle());
  }
}
