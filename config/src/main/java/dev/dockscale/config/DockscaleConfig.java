package dev.dockscale.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A whole {@code dockscale.yml}, validated.
 *
 * @param project prefix of every name dockscale gives (containers, network) and label {@code
 *     dockscale.project}; two projects on one host stay apart
 * @param interval how often each service is observed and decided on
 * @param services the scaled services, by name, in file order
 * @param balancer the nginx load balancer in front of them
 * @param stateDir where dockscale keeps what outlives a run (the decision journal, the pauses and
 *     overrides, the API's generated token)
 * @param api the HTTP API, {@code null} when it is off
 * @param metrics where CPU and memory come from
 */
public record DockscaleConfig(
    String project,
    Duration interval,
    Map<String, ServiceSpec> services,
    BalancerSpec balancer,
    Path stateDir,
    ApiSpec api,
    MetricsSpec metrics,
    RuntimeKind runtime) {

  public DockscaleConfig {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(interval, "interval");
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    Objects.requireNonNull(balancer, "balancer");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(runtime, "runtime");
  }

  /** On one Docker Engine. */
  public DockscaleConfig(
      String project,
      Duration interval,
      Map<String, ServiceSpec> services,
      BalancerSpec balancer,
      Path stateDir,
      ApiSpec api,
      MetricsSpec metrics) {
    this(project, interval, services, balancer, stateDir, api, metrics, RuntimeKind.DOCKER);
  }

  /**
   * Where the replicas run: containers dockscale starts on one Docker Engine, or the tasks of Swarm
   * services whose count dockscale sets.
   */
  public enum RuntimeKind {
    DOCKER,
    SWARM;

    /** As written in the config. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** With CPU and memory from the cgroup tree. */
  public DockscaleConfig(
      String project,
      Duration interval,
      Map<String, ServiceSpec> services,
      BalancerSpec balancer,
      Path stateDir,
      ApiSpec api) {
    this(project, interval, services, balancer, stateDir, api, MetricsSpec.CGROUPS);
  }

  /** Without the API, state kept in {@code .dockscale/<project>} of the working directory. */
  public DockscaleConfig(
      String project, Duration interval, Map<String, ServiceSpec> services, BalancerSpec balancer) {
    this(project, interval, services, balancer, Path.of(".dockscale", project), null);
  }

  /** An address to listen on or publish at: an IPv4 address (or 127.0.0.1) and a port. */
  public record Address(String host, int port) {

    private static final Pattern IPV4 =
        Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * {@code host:port}, the host an IPv4 address or {@code localhost} (which is 127.0.0.1).
     *
     * @throws IllegalArgumentException saying what is wrong and what to write
     */
    public static Address parse(String listen, int examplePort) {
      String example = "127.0.0.1:" + examplePort;
      int colon = listen.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "'" + listen + "' is not host:port: write e.g. " + example);
      }
      String host = listen.substring(0, colon);
      if (!host.equals("localhost") && !IPV4.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "host '"
                + host
                + "' must be an IPv4 address or localhost, e.g. 127.0.0.1 (0.0.0.0 publishes on every interface)");
      }
      String portText = listen.substring(colon + 1);
      if (!portText.matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException(
            "port '" + portText + "' is not a number: write e.g. " + example);
      }
      int port = Integer.parseInt(portText);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
      }
      return new Address(host.equals("localhost") ? "127.0.0.1" : host, port);
    }

    public boolean loopback() {
      return host.startsWith("127.");
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * The HTTP API: where it listens, and the token writes must carry ({@code null}: generated at
   * first start into the state dir).
   */
  public record ApiSpec(Address listen, String token) {
    public ApiSpec {
      Objects.requireNonNull(listen, "listen");
    }
  }

  /**
   * Where the replicas' CPU and memory come from: the node's cgroup tree (the default), a
   * Prometheus server that scrapes {@code dockscale agent} or cAdvisor on every node, or every
   * node's agent scraped directly.
   *
   * @param prometheus the server's base URL, {@code null} for none
   * @param window the rate window of CPU through Prometheus: at least two of its scrape intervals
   * @param staleAfter a series last scraped longer ago has no reading
   * @param agents each node's agent's base URL, empty for none
   */
  public record MetricsSpec(
      URI prometheus, Duration window, Duration staleAfter, List<URI> agents) {

    public MetricsSpec {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(staleAfter, "staleAfter");
      agents = List.copyOf(agents);
      if (window.isNegative()
          || window.isZero()
          || staleAfter.isNegative()
          || staleAfter.isZero()) {
        throw new IllegalArgumentException("window and staleAfter must be positive");
      }
      if (prometheus != null && !agents.isEmpty()) {
        throw new IllegalArgumentException("through Prometheus or from the agents, not both");
      }
    }

    /** Through a Prometheus server. */
    public MetricsSpec(URI prometheus, Duration window, Duration staleAfter) {
      this(prometheus, window, staleAfter, List.of());
    }

    /** From the agents, scraped directly. */
    public static MetricsSpec agents(List<URI> agents, Duration staleAfter) {
      return new MetricsSpec(null, CGROUPS.window(), staleAfter, agents);
    }

    public static final MetricsSpec CGROUPS =
        new MetricsSpec(null, Duration.ofSeconds(10), Duration.ofSeconds(15), List.of());

    public boolean fromPrometheus() {
      return prometheus != null;
    }

    public boolean fromAgents() {
      return !agents.isEmpty();
    }
  }

  /**
   * The load balancer: where it is published on the host, and its image (nginx, from the official
   * image or the local base).
   */
  public record BalancerSpec(String host, int port, String image) {

    /**
     * The balancer published at {@code listen}: an IPv4 address or {@code localhost} (which is
     * 127.0.0.1), a colon and a port.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write
     */
    public static BalancerSpec of(String listen, String image) {
      Address a = Address.parse(listen, 8080);
      return new BalancerSpec(a.host(), a.port(), image);
    }

    public String listen() {
      return host + ":" + port;
    }
  }

  /** This config with {@code balancer} in place of its own. */
  public DockscaleConfig withBalancer(BalancerSpec balancer) {
    return new DockscaleConfig(
        project, interval, services, balancer, stateDir, api, metrics, runtime);
  }

  /** This config with {@code service} in place of the service of the same name. */
  public DockscaleConfig withService(ServiceSpec service) {
    if (!services.containsKey(service.name())) {
      throw new IllegalArgumentException(
          "no service '" + service.name() + "'; the services are " + services.keySet());
    }
    Map<String, ServiceSpec> replaced = new LinkedHashMap<>(services);
    replaced.put(service.name(), service);
    return new DockscaleConfig(
        project, interval, replaced, balancer, stateDir, api, metrics, runtime);
  }

  public boolean onSwarm() {
    return runtime == RuntimeKind.SWARM;
  }

  public String networkName() {
    return project + "-net";
  }

  public String balancerName() {
    return project + "-lb";
  }
}
