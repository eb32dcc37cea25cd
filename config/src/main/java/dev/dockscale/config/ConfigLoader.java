package dev.dockscale.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dockscale.config.ConfigException.Problem;
import dev.dockscale.config.DockscaleConfig.BalancerSpec;
import dev.dockscale.config.ServiceSpec.HealthSpec;
import dev.dockscale.config.ServiceSpec.Resources;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.RateLimit;
import dev.dockscale.policy.RateLimits;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.policy.StepStrategy;
import dev.dockscale.policy.Strategy;
import dev.dockscale.policy.TargetStrategy;
import dev.dockscale.policy.ThresholdStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads {@code dockscale.yml} into a {@link DockscaleConfig}. Every problem is collected (not just
 * the first) and reported with its field path, its line and what to write instead; unknown keys are
 * problems too, since a misspelt key would otherwise be silently ignored.
 */
public final class ConfigLoader {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");
  static final Pattern IMAGE =
      Pattern.compile("[a-z0-9][a-z0-9._/:-]{0,254}(@sha256:[a-f0-9]{64})?");
  static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9/_.~-]*");
  static final Pattern CPUSET = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
  static final Pattern HOST = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|localhost");

  private static final int DEFAULT_PORT = 8000;
  private static final String DEFAULT_BALANCER_IMAGE = "dockscale/nginx:latest";

  private final String source;
  private final Map<String, Integer> lines = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();

  private ConfigLoader(String source) {
    this.source = source;
  }

  public static DockscaleConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of(new Problem("", 0, "cannot read the file: " + e.getMessage())));
    }
    return parse(file.toString(), text);
  }

  public static DockscaleConfig parse(String source, String yaml) {
    return new ConfigLoader(source).read(yaml);
  }

  private DockscaleConfig read(String yaml) {
    JsonNode root;
    try {
      ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
      indexLines(mapper, yaml);
      root = mapper.readTree(yaml);
    } catch (IOException e) {
      int line =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  && j.getLocation() != null
              ? j.getLocation().getLineNr()
              : 0;
      String message = e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(
          source, List.of(new Problem("", line, "not valid YAML: " + message)));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(
          source,
          List.of(
              new Problem(
                  "", 0, "the file is empty: it needs at least 'services:' with one service")));
    }
    Node top = new Node("", root);
    DockscaleConfig config = config(top);
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return config;
  }

  /** Remembers the line of every field, by its JSON pointer, for the error messages. */
  private void indexLines(ObjectMapper mapper, String yaml) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          String pointer = p.getParsingContext().pathAsPointer().toString();
          lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        } else if (t.isScalarValue() || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          String pointer = p.getParsingContext().pathAsPointer().toString();
          lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        }
      }
    }
  }

  private DockscaleConfig config(Node top) {
    top.allow("project", "interval", "services", "balancer");
    String project = top.string("project", "dockscale");
    if (!NAME.matcher(project).matches()) {
      top.child("project")
          .problem(
              "'"
                  + project
                  + "' is not a valid project name: use 1-31 lower-case letters, digits and '-', starting with a letter or digit");
    }
    Duration interval = top.duration("interval", Duration.ofSeconds(1));
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      top.child("interval").problem("must be at least 100ms");
    }

    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    Node servicesNode = top.child("services");
    if (servicesNode.missing() || !servicesNode.node.isObject() || servicesNode.node.isEmpty()) {
      servicesNode.problem(
          "at least one service is required, e.g.\n    services:\n      web:\n        image: dockscale/sample-backend:latest\n        replicas: { min: 1, max: 4 }");
    } else {
      Set<String> paths = new java.util.HashSet<>();
      servicesNode
          .node
          .fieldNames()
          .forEachRemaining(
              name -> {
                Node s = servicesNode.child(name);
                if (!NAME.matcher(name).matches()) {
                  s.problem(
                      "'"
                          + name
                          + "' is not a valid service name: use 1-31 lower-case letters, digits and '-'");
                }
                ServiceSpec spec = service(name, s);
                if (spec != null) {
                  if (!paths.add(spec.path())) {
                    s.child("path")
                        .problem(
                            "path "
                                + spec.path()
                                + " is already routed to another service; give each service its own path");
                  }
                  services.put(name, spec);
                }
              });
    }

    Node b = top.child("balancer");
    b.allow("listen", "image");
    String listen = b.string("listen", "127.0.0.1:8080");
    String host = "127.0.0.1";
    int port = 8080;
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      b.child("listen").problem("'" + listen + "' is not host:port: write e.g. 127.0.0.1:8080");
    } else {
      host = listen.substring(0, colon);
      if (!HOST.matcher(host).matches()) {
        b.child("listen")
            .problem(
                "host '"
                    + host
                    + "' must be an IPv4 address or localhost, e.g. 127.0.0.1 (0.0.0.0 publishes on every interface)");
      }
      try {
        port = Integer.parseInt(listen.substring(colon + 1));
        if (port < 1 || port > 65535) {
          b.child("listen").problem("port must be from 1 to 65535, got " + port);
        }
      } catch (NumberFormatException e) {
        b.child("listen")
            .problem(
                "port '"
                    + listen.substring(colon + 1)
                    + "' is not a number: write e.g. 127.0.0.1:8080");
      }
    }
    String balancerImage = b.string("image", DEFAULT_BALANCER_IMAGE);
    checkImage(b.child("image"), balancerImage);
    return new DockscaleConfig(
        project,
        interval,
        services,
        new BalancerSpec("localhost".equals(host) ? "127.0.0.1" : host, port, balancerImage));
  }

  private ServiceSpec service(String name, Node s) {
    if (!s.node.isObject()) {
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
        "startup");
    String image = s.required("image");
    if (image != null) {
      checkImage(s.child("image"), image);
    }
    int port = s.integer("port", DEFAULT_PORT, 1, 65535);

    Map<String, String> env = new TreeMap<>();
    Node envNode = s.child("env");
    if (!envNode.missing()) {
      if (!envNode.node.isObject()) {
        envNode.problem("env is a map of NAME: value");
      } else {
        envNode
            .node
            .fields()
            .forEachRemaining(
                e -> {
                  if (!ENV_KEY.matcher(e.getKey()).matches()) {
                    envNode
                        .child(e.getKey())
                        .problem("'" + e.getKey() + "' is not a valid environment variable name");
                  } else if (e.getValue().isContainerNode()) {
                    envNode
                        .child(e.getKey())
                        .problem("an environment value must be a string, number or boolean");
                  } else {
                    env.put(e.getKey(), e.getValue().asText());
                  }
                });
      }
    }

    Node r = s.child("resources");
    r.allow("cpus", "memory", "cpuset");
    double cpus = r.decimal("cpus", 0.5, 0.01, 1024);
    long memory = r.size("memory", 256L << 20);
    if (memory < (6L << 20)) {
      r.child("memory").problem("must be at least 6m (Docker's minimum)");
    }
    String cpuset = r.string("cpuset", "");
    if (!cpuset.isEmpty() && !CPUSET.matcher(cpuset).matches()) {
      r.child("cpuset")
          .problem("'" + cpuset + "' is not a cpuset: write e.g. \"0\", \"0-1\" or \"0,2\"");
    }

    Node h = s.child("health");
    h.allow("path", "tcp", "interval", "timeout", "retries", "start-period", "replace-after");
    String healthPath = h.string("path", "/");
    checkPath(h.child("path"), healthPath);
    boolean tcp = h.bool("tcp", false);
    if (tcp && h.has("path")) {
      h.child("tcp").problem("give either path (an HTTP probe) or tcp: true, not both");
    }
    Duration healthInterval = h.duration("interval", Duration.ofSeconds(2));
    Duration healthTimeout = h.duration("timeout", Duration.ofSeconds(1));
    if (healthInterval.compareTo(Duration.ofMillis(100)) < 0) {
      h.child("interval").problem("must be at least 100ms");
    }
    int retries = h.integer("retries", 3, 1, 100);
    Duration startPeriod = h.duration("start-period", Duration.ofSeconds(60));
    Duration replaceAfter = h.duration("replace-after", Duration.ofSeconds(30));

    ScalingPolicy policy = policy(name, s);
    String path = s.string("path", "/");
    checkPath(s.child("path"), path);
    Duration drain = s.duration("drain", Duration.ofSeconds(10));
    Duration stopTimeout = s.duration("stop-timeout", Duration.ofSeconds(10));
    Duration startup = s.duration("startup", Duration.ofSeconds(2));
    if (image == null || policy == null) {
      return null;
    }
    return new ServiceSpec(
        name,
        image,
        port,
        env,
        new Resources(cpus, memory, cpuset),
        new HealthSpec(
            healthPath, tcp, healthInterval, healthTimeout, retries, startPeriod, replaceAfter),
        policy,
        path,
        drain,
        stopTimeout,
        startup);
  }

  private ScalingPolicy policy(String name, Node s) {
    Node replicas = s.child("replicas");
    if (replicas.missing()) {
      replicas.problem("required: how many replicas, e.g. replicas: { min: 1, max: 4 }");
      return null;
    }
    replicas.allow("min", "max");
    int min = replicas.integer("min", 1, 0, 1000);
    int max = replicas.integer("max", Math.max(min, 1), 1, 1000);
    if (max < min) {
      replicas.child("max").problem("max (" + max + ") must be >= min (" + min + ")");
    }

    Node scale = s.child("scale");
    scale.allow("preset", "cpu", "memory", "cooldown", "window", "limits", "warmup");
    String presetKey = scale.string("preset", Preset.DOCKSCALE.key());
    Preset preset = Preset.byKey(presetKey).orElse(null);
    if (preset == null) {
      scale
          .child("preset")
          .problem("unknown preset '" + presetKey + "': use one of " + Preset.keys());
      preset = Preset.DOCKSCALE;
    }
    List<MetricRule> rules = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      Node m = scale.child(metric.key());
      if (!m.missing()) {
        Strategy strategy = strategy(m);
        if (strategy != null) {
          rules.add(new MetricRule(metric, strategy));
        }
      }
    }
    if (rules.isEmpty()) {
      rules.addAll(preset.rules());
    }

    Behavior b = preset.behavior();
    Node cooldown = scale.child("cooldown");
    cooldown.allow("up", "down");
    b =
        b.withUpCooldown(cooldown.duration("up", b.upCooldown()))
            .withDownCooldown(cooldown.duration("down", b.downCooldown()));
    Node window = scale.child("window");
    window.allow("up", "down");
    b =
        b.withUpWindow(window.duration("up", b.upWindow()))
            .withDownWindow(window.duration("down", b.downWindow()));
    Node limits = scale.child("limits");
    limits.allow("up", "down", "up-select", "down-select");
    b =
        b.withUpLimits(rateLimits(limits, "up", b.upLimits()))
            .withDownLimits(rateLimits(limits, "down", b.downLimits()));
    b = b.withWarmup(scale.duration("warmup", b.warmup()));
    if (max < min || min < 0) {
      return null;
    }
    return new ScalingPolicy(preset.key(), min, max, rules, b);
  }

  private Strategy strategy(Node m) {
    if (!m.node.isObject()) {
      m.problem(
          "write { up: 70, down: 20 } (threshold), { target: 60 } (target tracking) or { steps: [...] } (step scaling)");
      return null;
    }
    boolean threshold = m.has("up") || m.has("down");
    boolean target = m.has("target");
    boolean steps = m.has("steps");
    if ((threshold ? 1 : 0) + (target ? 1 : 0) + (steps ? 1 : 0) != 1) {
      m.problem(
          "give exactly one strategy: up/down (threshold), target (target tracking) or steps (step scaling)");
      return null;
    }
    try {
      if (threshold) {
        m.allow("up", "down", "step");
        double up = m.decimal("up", 70, 0, 10_000);
        double down = m.decimal("down", 20, 0, 10_000);
        if (down >= up) {
          m.child("down").problem("down (" + down + ") must be below up (" + up + ")");
          return null;
        }
        Change step = m.change("step", Change.replicas(1));
        return step == null ? null : new ThresholdStrategy(up, down, step);
      }
      if (target) {
        m.allow("target", "tolerance");
        double value = m.decimal("target", 60, 0.1, 10_000);
        double tolerance = m.decimal("tolerance", TargetStrategy.DEFAULT_TOLERANCE, 0, 0.99);
        return new TargetStrategy(value, tolerance);
      }
      m.allow("steps");
      Node list = m.child("steps");
      if (!list.node.isArray() || list.node.isEmpty()) {
        list.problem(
            "steps is a list, e.g. [ { above: 90, add: 2 }, { above: 70, add: 1 }, { below: 20, remove: 1 } ]");
        return null;
      }
      List<StepStrategy.Step> parsed = new ArrayList<>();
      for (int i = 0; i < list.node.size(); i++) {
        Node step = list.element(i);
        step.allow("above", "below", "add", "remove");
        if (step.has("add") == step.has("remove")) {
          step.problem("a step needs exactly one of add or remove");
          continue;
        }
        double from = step.decimal("above", 0, 0, 10_000);
        double to =
            step.has("below") ? step.decimal("below", 0, 0, 10_000) : Double.POSITIVE_INFINITY;
        if (!step.has("above") && !step.has("below")) {
          step.problem("a step needs above and/or below");
          continue;
        }
        if (to <= from) {
          step.problem("below (" + to + ") must be above above (" + from + ")");
          continue;
        }
        boolean add = step.has("add");
        Change change = step.change(add ? "add" : "remove", Change.replicas(1));
        if (change != null) {
          parsed.add(new StepStrategy.Step(from, to, add, change));
        }
      }
      return parsed.isEmpty() ? null : new StepStrategy(parsed);
    } catch (IllegalArgumentException e) {
      m.problem(e.getMessage());
      return null;
    }
  }

  private RateLimits rateLimits(Node limits, String direction, RateLimits fallback) {
    Node list = limits.child(direction);
    String selectKey = limits.string(direction + "-select", fallback.select().name().toLowerCase());
    RateLimits.Select select;
    if ("max".equals(selectKey)) {
      select = RateLimits.Select.MAX;
    } else if ("min".equals(selectKey)) {
      select = RateLimits.Select.MIN;
    } else {
      limits
          .child(direction + "-select")
          .problem("use max (the limit allowing the most change wins) or min");
      select = RateLimits.Select.MAX;
    }
    if (list.missing()) {
      return new RateLimits(fallback.limits(), select);
    }
    if (!list.node.isArray()) {
      list.problem(
          "a list of limits, e.g. [ { replicas: 4, period: 15s }, { percent: 100, period: 15s } ], or [] for none");
      return fallback;
    }
    List<RateLimit> parsed = new ArrayList<>();
    for (int i = 0; i < list.node.size(); i++) {
      Node l = list.element(i);
      l.allow("replicas", "percent", "period");
      if (l.has("replicas") == l.has("percent")) {
        l.problem("a limit needs exactly one of replicas or percent");
        continue;
      }
      Duration period = l.duration("period", Duration.ofSeconds(15));
      if (period.isZero()) {
        l.child("period").problem("must be more than 0");
        continue;
      }
      if (l.has("replicas")) {
        parsed.add(RateLimit.replicas(l.integer("replicas", 1, 1, 1000), period));
      } else {
        parsed.add(RateLimit.percent(l.decimal("percent", 100, 1, 10_000), period));
      }
    }
    return new RateLimits(parsed, select);
  }

  private void checkImage(Node at, String image) {
    if (!IMAGE.matcher(image).matches()) {
      at.problem(
          "'"
              + image
              + "' is not an image reference: write e.g. dockscale/sample-backend:latest (lower case, no spaces)");
    }
  }

  private void checkPath(Node at, String path) {
    if (!URL_PATH.matcher(path).matches()) {
      at.problem(
          "'"
              + path
              + "' is not a URL path: it starts with / and holds letters, digits and / _ . ~ - only");
    }
  }

  /** A node of the YAML tree with its path, for typed reads that report problems where they are. */
  private final class Node {
    final String path;
    final JsonNode node;

    Node(String path, JsonNode node) {
      this.path = path;
      this.node =
          node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
    }

    boolean missing() {
      return node.isMissingNode() || node.isNull();
    }

    boolean has(String key) {
      return node.has(key) && !node.get(key).isNull();
    }

    Node child(String key) {
      return new Node(path.isEmpty() ? key : path + "." + key, node.get(key));
    }

    Node element(int i) {
      return new Node(path + "[" + i + "]", node.get(i));
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

    void allow(String... keys) {
      if (missing()) {
        return;
      }
      if (!node.isObject()) {
        problem("must be a map with " + String.join(", ", keys));
        return;
      }
      Set<String> known = Set.of(keys);
      node.fieldNames()
          .forEachRemaining(
              k -> {
                if (!known.contains(k)) {
                  String hint = closest(k, keys);
                  child(k)
                      .problem(
                          "unknown key '"
                              + k
                              + "'"
                              + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                              + "; known here: "
                              + String.join(", ", keys));
                }
              });
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

    private String text() {
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
            "must be a whole number from "
                + min
                + " to "
                + max
                + ", got '"
                + c.node.asText()
                + "'");
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
      return parsed(key, fallback, fallback, dev.dockscale.policy.Durations::parse);
    }

    long size(String key, long fallback) {
      return parsed(key, fallback, fallback, Sizes::parse);
    }

    /** A step; {@code null} (after reporting the problem) when it cannot be read. */
    Change change(String key, Change fallback) {
      return parsed(key, fallback, null, Change::parse);
    }

    /** The value at {@code key} read by {@code parser}, whose error message becomes the problem. */
    private <T> T parsed(
        String key, T fallback, T onError, java.util.function.Function<String, T> parser) {
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
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** The known key nearest to a misspelt one, when it is near enough to be the likely intent. */
  static String closest(String key, String... known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) && bestDistance < key.length()
        ? best
        : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
