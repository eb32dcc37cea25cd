package dev.dockscale.config;

import dev.dockscale.config.ServiceSpec.HealthSpec;
import dev.dockscale.config.ServiceSpec.Resources;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One service: image, port, env, resources, health, routing and stopping; its policy aside. */
final class ServiceReader {

  static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9/_.~-]*");

  /** The names {@link ServiceSpec#envFor} fills in {@code {{name}}} form in env values. */
  static final List<String> TEMPLATES = List.of("name", "service", "index");

  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(.*?)}}");
  static final Pattern CPUSET = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

  /** Swarm's constraint attributes: a node's id, hostname, role or platform, or a label. */
  static final Pattern PLACEMENT =
      Pattern.compile(
          "(node\\.(id|hostname|role|platform\\.os|platform\\.arch)|(node|engine)\\.labels\\.[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)"
              + " ?(==|!=) ?[A-Za-z0-9_.:/-]+");

  private static final int DEFAULT_PORT = 8000;
  private static final int MAX_WARM = 100;
  private static final long DEFAULT_MEMORY = 256L << 20;
  private static final long MIN_MEMORY = 6L << 20;
  private static final long MAX_MEMORY = 1L << 40;
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final int MAX_REPLICAS = 1000;

  /** Replaced at once for failing probes: a quarter of the replicas, at least one. */
  static final Change DEFAULT_MAX_REPLACING = Change.percent(25);

  private ServiceReader() {}

  /** The service, or {@code null} when a problem leaves nothing to build it from. */
  static ServiceSpec read(String name, Node s) {
    if (!s.isMap()) {
      s.problem("a service is a map with at least image and replicas");
      return null;
    }
    s.allow(
        "image",
        "port",
        "env",
        "resources",
        "health",
        "replicas",
        "scale",
        "path",
        "drain",
        "stop-timeout",
        "startup",
        "batch-wait",
        "placement");
    String image = s.required("image");
    if (image != null) {
      checkImage(s.child("image"), image);
    }
    int port = s.integer("port", DEFAULT_PORT, 1, 65535);
    Map<String, String> env = env(s.child("env"));
    Resources resources = resources(s.child("resources"));
    HealthSpec health = health(s.child("health"));
    ScalingPolicy policy = PolicyReader.read(s);
    String path = s.string("path", "/");
    checkPath(s.child("path"), path);
    Duration drain = s.duration("drain", Duration.ofSeconds(10), Duration.ZERO, TEN_MINUTES);
    Duration stopTimeout =
        s.duration("stop-timeout", Duration.ofSeconds(10), Duration.ZERO, TEN_MINUTES);
    Duration startup = s.duration("startup", Duration.ofSeconds(10), Duration.ZERO, HOUR);
    int warm = s.child("replicas").integer("warm", 0, 0, MAX_WARM);
    Duration batchWait = s.duration("batch-wait", Duration.ofSeconds(1), Duration.ZERO, MINUTE);
    List<String> placement = placement(s.child("placement"));
    if (image == null || policy == null) {
      return null;
    }
    return new ServiceSpec(
        name,
        image,
        port,
        env,
        resources,
        health,
        policy,
        path,
        drain,
        stopTimeout,
        startup,
        warm,
        batchWait,
        placement);
  }

  /** Swarm placement constraints: a list of {@code node.<attribute>==value} or {@code !=}. */
  private static List<String> placement(Node list) {
    if (list.missing()) {
      return List.of();
    }
    if (!list.isList()) {
      list.problem("must be a list, e.g. placement: [\"node.role==worker\"]");
      return List.of();
    }
    List<String> constraints = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Node item = list.element(i);
      String text = item.text();
      if (text == null) {
        continue;
      }
      if (!PLACEMENT.matcher(text).matches()) {
        item.problem(
            "is not a placement constraint: write node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<label> or engine.labels.<label>, then == or !=, then a value, e.g. \"node.role==worker\"");
      } else {
        constraints.add(text);
      }
    }
    return constraints;
  }

  private static Map<String, String> env(Node envNode) {
    Map<String, String> env = new TreeMap<>();
    if (envNode.missing()) {
      return env;
    }
    if (!envNode.isMap()) {
      envNode.problem("env is a map of NAME: value");
      return env;
    }
    for (String key : envNode.keys()) {
      Node value = envNode.child(key);
      if (!ENV_KEY.matcher(key).matches()) {
        value.problem("'" + key + "' is not a valid environment variable name");
      } else if (value.missing()) {
        value.problem(
            "no value: write FOO: \"\" (quoted) for an empty value, or remove the line;"
                + " dockscale does not turn a YAML null into text");
      } else if (value.isMap() || value.isList()) {
        value.problem("an environment value must be a string, number or boolean");
      } else {
        String text = value.text();
        checkTemplates(value, text);
        env.put(key, text);
      }
    }
    return env;
  }

  /** Reports every {@code {{...}}} in an env value that is not one of {@link #TEMPLATES}. */
  private static void checkTemplates(Node at, String text) {
    Matcher m = TEMPLATE.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      if (!TEMPLATES.contains(name)) {
        String hint = Hints.closest(name.strip(), TEMPLATES);
        at.problem(
            "unknown template {{"
                + name
                + "}}"
                + (hint == null ? "" : " (did you mean {{" + hint + "}}?)")
                + "; the templates are {{name}} (the replica's container name), {{service}} and {{index}}");
      }
    }
  }

  private static Resources resources(Node r) {
    r.allow("cpus", "memory", "cpuset", "startup-cpus");
    double cpus = r.decimal("cpus", 0.5, 0.01, 1024);
    double startupCpus = r.decimal("startup-cpus", cpus, 0.01, 1024);
    if (startupCpus < cpus) {
      r.child("startup-cpus")
          .problem(
              "must be at least resources.cpus ("
                  + Node.fmt(cpus)
                  + "), got "
                  + Node.fmt(startupCpus)
                  + ": it is what a replica may use until it is first ready, then cpus");
      startupCpus = cpus;
    }
    long memory = r.size("memory", DEFAULT_MEMORY);
    if (memory < MIN_MEMORY) {
      r.child("memory").problem("must be at least 6m (Docker's minimum)");
      memory = DEFAULT_MEMORY;
    } else if (memory > MAX_MEMORY) {
      r.child("memory").problem("must be at most 1t per replica, got " + r.string("memory", ""));
      memory = DEFAULT_MEMORY;
    }
    String cpuset = r.string("cpuset", "");
    if (!cpuset.isEmpty() && !CPUSET.matcher(cpuset).matches()) {
      r.child("cpuset")
          .problem("'" + cpuset + "' is not a cpuset: write e.g. \"0\", \"0-1\" or \"0,2\"");
    }
    return new Resources(cpus, memory, cpuset, startupCpus);
  }

  private static HealthSpec health(Node h) {
    h.allow(
        "path",
        "tcp",
        "interval",
        "timeout",
        "retries",
        "start-period",
        "replace-after",
        "max-replacing");
    String path = h.string("path", "/");
    checkPath(h.child("path"), path);
    boolean tcp = h.bool("tcp", false);
    if (tcp && h.has("path")) {
      h.child("tcp").problem("give either path (an HTTP probe) or tcp: true, not both");
    }
    Duration interval =
        h.duration(
            "interval", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(5));
    Duration timeout =
        h.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(1));
    int retries = h.integer("retries", 3, 1, 100);
    Duration startPeriod = h.duration("start-period", Duration.ofSeconds(60), Duration.ZERO, HOUR);
    Duration replaceAfter =
        h.duration("replace-after", Duration.ofSeconds(30), Duration.ZERO, HOUR);
    Change maxReplacing = maxReplacing(h);
    return new HealthSpec(
        path, tcp, interval, timeout, retries, startPeriod, replaceAfter, maxReplacing);
  }

  /** {@code health.max-replacing}: replicas ({@code 2}) or a share of them ({@code 25%}). */
  private static Change maxReplacing(Node h) {
    Node at = h.child("max-replacing");
    if (at.missing()) {
      return DEFAULT_MAX_REPLACING;
    }
    String text = at.text();
    Change max = null;
    try {
      max = text == null ? null : Change.parse(text);
    } catch (IllegalArgumentException e) {
      // Reported below with this key's own wording.
    }
    if (max == null
        || (max.percent() ? max.amount() < 1 || max.amount() > 100 : max.amount() > MAX_REPLICAS)) {
      at.problem(
          "'"
              + text
              + "' is not how many replicas may be replaced at once: write a whole number from 1 to "
              + MAX_REPLICAS
              + " (2) or a share from 1% to 100% (25%)");
      return DEFAULT_MAX_REPLACING;
    }
    return max;
  }

  static void checkImage(Node at, String image) {
    try {
      ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      at.problem(e.getMessage());
    }
  }

  private static void checkPath(Node at, String path) {
    if (!URL_PATH.matcher(path).matches()) {
      at.problem(
          "'"
              + path
              + "' is not a URL path: it starts with / and holds letters, digits and / _ . ~ - only");
    }
  }
}
