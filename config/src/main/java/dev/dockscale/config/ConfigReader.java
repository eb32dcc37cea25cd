package dev.dockscale.config;

import dev.dockscale.config.DockscaleConfig.Address;
import dev.dockscale.config.DockscaleConfig.ApiSpec;
import dev.dockscale.config.DockscaleConfig.BalancerSpec;
import dev.dockscale.config.DockscaleConfig.MetricsSpec;
import dev.dockscale.config.DockscaleConfig.RuntimeKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The top level of {@code dockscale.yml}: project, interval, the services and the balancer. */
final class ConfigReader {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");

  private static final String DEFAULT_BALANCER_IMAGE = "dockscale/nginx:latest";
  private static final String DEFAULT_LISTEN = "127.0.0.1:8080";

  private ConfigReader() {}

  /** The shortest {@code api.token} taken: a guessable token is no protection. */
  static final int MIN_TOKEN = 16;

  /** {@code base}: the folder a relative {@code state.dir} is taken from (the config's). */
  static DockscaleConfig read(Node top, Path base) {
    top.allow(
        key -> key.startsWith("x-"),
        "project",
        "interval",
        "services",
        "balancer",
        "state",
        "api",
        "metrics",
        "runtime");
    String project = top.string("project", "dockscale");
    if (!NAME.matcher(project).matches()) {
      top.child("project")
          .problem(
              "'"
                  + project
                  + "' is not a valid project name: use 1-31 lower-case letters, digits and '-', starting with a letter or digit");
    }
    Duration interval =
        top.duration(
            "interval", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1));
    RuntimeKind runtime = runtime(top.child("runtime"));
    Map<String, ServiceSpec> services = services(top.child("services"));
    checkRuntime(runtime, top.child("services"), services);
    return new DockscaleConfig(
        project,
        interval,
        services,
        balancer(top),
        // An invalid project name is reported above; it names no folder.
        stateDir(top.child("state"), base, NAME.matcher(project).matches() ? project : "dockscale"),
        api(top.child("api")),
        metrics(top.child("metrics")),
        runtime);
  }

  /**
   * The project of a config with {@code runtime: swarm}, or null (another runtime, or a project
   * name the full read will refuse): whose Swarm services' labels to read before reading the
   * config.
   */
  static String swarmProject(Node top) {
    Node runtime = top.child("runtime");
    Node project = top.child("project");
    boolean swarm = !runtime.missing() && runtime.isScalar() && "swarm".equals(runtime.text());
    String name = project.missing() ? "dockscale" : project.isScalar() ? project.text() : null;
    return swarm && name != null && NAME.matcher(name).matches() ? name : null;
  }

  /** {@code runtime}: {@code docker} (the default) or {@code swarm}. */
  private static RuntimeKind runtime(Node runtime) {
    String kind = runtime.missing() ? "docker" : runtime.text();
    if (kind == null) {
      return RuntimeKind.DOCKER;
    }
    switch (kind) {
      case "docker":
        return RuntimeKind.DOCKER;
      case "swarm":
        return RuntimeKind.SWARM;
      default:
        runtime.problem("must be 'docker' (the default) or 'swarm', got '" + kind + "'");
        return RuntimeKind.DOCKER;
    }
  }

  /**
   * What only one runtime can do: a warm pool, a cpuset and a batch wait on Docker, placement on
   * Swarm.
   */
  private static void checkRuntime(
      RuntimeKind runtime, Node services, Map<String, ServiceSpec> specs) {
    for (ServiceSpec spec : specs.values()) {
      Node s = services.child(spec.name());
      if (runtime == RuntimeKind.SWARM) {
        if (spec.warm() > 0) {
          s.child("replicas")
              .child("warm")
              .problem(
                  "a warm pool needs 'runtime: docker' (Swarm starts tasks itself and cannot pause them); remove replicas.warm");
        }
        if (!spec.resources().cpuset().isEmpty()) {
          s.child("resources")
              .child("cpuset")
              .problem(
                  "Swarm services have no cpuset; remove it, or use placement to choose nodes");
        }
        if (spec.resources().boosted()) {
          s.child("resources")
              .child("startup-cpus")
              .problem(
                  "is read only with 'runtime: docker' (a Swarm task's limits are the service's);"
                      + " remove it");
        }
        if (s.has("batch-wait")) {
          s.child("batch-wait")
              .problem(
                  "is read only with 'runtime: docker' (Swarm starts the tasks and routes them as"
                      + " each is ready); remove it");
        }
      } else if (!spec.placement().isEmpty()) {
        s.child("placement")
            .problem("is read only with 'runtime: swarm'; add that, or remove this key");
      }
    }
  }

  /**
   * {@code metrics}: {@code source: cgroups} (the default), {@code source: prometheus} with the
   * server's URL, or {@code source: agents} with every node's agent.
   */
  private static MetricsSpec metrics(Node metrics) {
    metrics.allow("source", "prometheus", "agents", "window", "stale-after");
    if (metrics.missing()) {
      return MetricsSpec.CGROUPS;
    }
    String source = metrics.string("source", "cgroups");
    switch (source) {
      case "cgroups" -> {
        readOnlyWith(metrics, "prometheus", "'source: prometheus'");
        readOnlyWith(metrics, "window", "'source: prometheus'");
        readOnlyWith(metrics, "agents", "'source: agents'");
        readOnlyWith(metrics, "stale-after", "'source: prometheus' or 'source: agents'");
        return MetricsSpec.CGROUPS;
      }
      case "prometheus" -> {
        readOnlyWith(metrics, "agents", "'source: agents'");
        String url = metrics.string("prometheus", null);
        if (url == null) {
          metrics.problem(
              "'source: prometheus' needs the server's URL, e.g. prometheus: http://127.0.0.1:9090");
          return MetricsSpec.CGROUPS;
        }
        Duration window =
            metrics.duration(
                "window",
                MetricsSpec.CGROUPS.window(),
                Duration.ofSeconds(2),
                Duration.ofMinutes(10));
        Duration staleAfter = staleAfter(metrics);
        URI server =
            baseUrl(
                metrics.child("prometheus"),
                url,
                "the server's base URL, e.g. http://127.0.0.1:9090");
        return server == null ? MetricsSpec.CGROUPS : new MetricsSpec(server, window, staleAfter);
      }
      case "agents" -> {
        readOnlyWith(metrics, "prometheus", "'source: prometheus'");
        readOnlyWith(
            metrics, "window", "'source: prometheus' (the agents' rate is over one second)");
        Node list = metrics.child("agents");
        if (list.missing() || !list.isList() || list.size() == 0) {
          list.problem(
              "'source: agents' needs every node's agent, e.g. agents: [\"http://10.0.0.5:9338\", \"http://10.0.0.6:9338\"]");
          return MetricsSpec.CGROUPS;
        }
        List<URI> agents = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          Node item = list.element(i);
          String url = item.text();
          URI agent =
              url == null
                  ? null
                  : baseUrl(item, url, "an agent's base URL, e.g. http://10.0.0.5:9338");
          if (agent != null) {
            agents.add(agent);
          }
        }
        Duration staleAfter = staleAfter(metrics);
        return agents.size() == list.size()
            ? MetricsSpec.agents(agents, staleAfter)
            : MetricsSpec.CGROUPS;
      }
      default -> {
        metrics
            .child("source")
            .problem(
                "must be 'cgroups' (the default), 'prometheus' or 'agents', got '" + source + "'");
        return MetricsSpec.CGROUPS;
      }
    }
  }

  private static void readOnlyWith(Node metrics, String key, String source) {
    if (!metrics.child(key).missing()) {
      metrics.child(key).problem("is read only with " + source + "; add that, or remove this key");
    }
  }

  private static Duration staleAfter(Node metrics) {
    return metrics.duration(
        "stale-after",
        MetricsSpec.CGROUPS.staleAfter(),
        Duration.ofSeconds(1),
        Duration.ofMinutes(10));
  }

  /** An http(s) URL with a host, no query or credentials; a path is the server's prefix. */
  private static URI baseUrl(Node at, String url, String what) {
    String fix = "; write " + what;
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      at.problem("'" + url + "' is not a URL: " + e.getReason() + fix);
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      at.problem("'" + url + "' must start with http:// or https://" + fix);
    } else if (uri.getHost() == null) {
      at.problem(
          "'"
              + url
              + "' names no host Java can reach (a host name has letters, digits, '-' and '.'; no"
              + " '_', which Swarm stack names carry: use a network alias)"
              + fix);
    } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
      at.problem("'" + url + "': the port must be from 1 to 65535" + fix);
    } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      at.problem("'" + url + "' must have no query or fragment" + fix);
    } else if (uri.getRawUserInfo() != null) {
      at.problem(
          "'" + url + "' must not carry credentials (they would show in logs and status)" + fix);
    } else if (path.contains("//") || path.contains("/../") || path.endsWith("/..")) {
      at.problem("'" + url + "': its path must not hold '//' or '..'" + fix);
    } else {
      try {
        return new URI(
            scheme, uri.getRawAuthority(), path.endsWith("/") ? path : path + "/", null, null);
      } catch (URISyntaxException e) {
        at.problem("'" + url + "' is not a URL: " + e.getReason() + fix);
      }
    }
    return null;
  }

  private static Path stateDir(Node state, Path base, String project) {
    state.allow("dir");
    String dir = state.string("dir", null);
    if (dir == null) {
      return base.resolve(".dockscale").resolve(project);
    }
    if (dir.isBlank()) {
      state.child("dir").problem("must not be empty: write a folder, e.g. .dockscale/" + project);
      return base.resolve(".dockscale").resolve(project);
    }
    try {
      return base.resolve(dir);
    } catch (InvalidPathException e) {
      state.child("dir").problem("'" + dir + "' is not a path: " + e.getReason());
      return base.resolve(".dockscale").resolve(project);
    }
  }

  /** The API, when {@code api.listen} is given: a port alone listens on 127.0.0.1. */
  private static ApiSpec api(Node api) {
    api.allow("listen", "token");
    if (api.missing()) {
      return null;
    }
    String listen = api.required("listen");
    String token = api.string("token", null);
    if (token != null
        && (token.length() < MIN_TOKEN || !token.chars().allMatch(c -> c > ' ' && c < 127))) {
      api.child("token")
          .problem(
              "must be at least "
                  + MIN_TOKEN
                  + " printable characters without spaces, e.g. the output of 'openssl rand -hex 16'; or leave it out and dockscale generates one into the state dir");
    }
    if (listen == null) {
      return null;
    }
    try {
      return new ApiSpec(
          Address.parse(listen.matches("[0-9]+") ? "127.0.0.1:" + listen : listen, 9090), token);
    } catch (IllegalArgumentException e) {
      api.child("listen").problem(e.getMessage() + " (a port alone listens on 127.0.0.1)");
      return null;
    }
  }

  private static Map<String, ServiceSpec> services(Node services) {
    Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    if (services.missing() || !services.isMap() || services.keys().isEmpty()) {
      services.problem(
          "at least one service is required, e.g.\n    services:\n      web:\n        image: dockscale/sample-backend:latest\n        replicas: { min: 1, max: 4 }");
      return specs;
    }
    Set<String> paths = new HashSet<>();
    for (String name : services.keys()) {
      Node s = services.child(name);
      if (!NAME.matcher(name).matches()) {
        s.problem(
            "'"
                + name
                + "' is not a valid service name: use 1-31 lower-case letters, digits and '-'");
      }
      ServiceSpec spec = ServiceReader.read(name, s);
      if (spec != null) {
        if (!paths.add(spec.path())) {
          s.child("path")
              .problem(
                  "path "
                      + spec.path()
                      + " is already routed to another service; give each service its own path");
        }
        specs.put(name, spec);
      }
    }
    return specs;
  }

  private static BalancerSpec balancer(Node top) {
    Node b = top.child("balancer");
    b.allow("listen", "image");
    String image = b.string("image", DEFAULT_BALANCER_IMAGE);
    ServiceReader.checkImage(b.child("image"), image);
    try {
      return BalancerSpec.of(b.string("listen", DEFAULT_LISTEN), image);
    } catch (IllegalArgumentException e) {
      b.child("listen").problem(e.getMessage());
      return BalancerSpec.of(DEFAULT_LISTEN, image);
    }
  }
}
