package dev.dockscale.cli;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.ServiceStatus;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One integration test's dockscale project on the real Docker engine: a unique project name (so
 * every container and network it makes is labelled with it), a free loopback port for the balancer,
 * and removal of everything it made, whatever the test's outcome.
 */
final class ItProject implements AutoCloseable {

  final String project;
  final int port;
  final DockscaleConfig config;
  final Stack stack;
  final AtomicReference<ServiceStatus> latest = new AtomicReference<>();
  final java.util.Map<String, ServiceStatus> statuses =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger ticks =
      new java.util.concurrent.atomic.AtomicInteger();
  private Controller controller;

  private ItProject(
      String project,
      int port,
      String yaml,
      java.util.Map<String, java.util.Map<String, String>> labels) {
    this.project = project;
    this.port = port;
    this.config = ConfigLoader.parse(project + ".yml", yaml, labels);
    this.stack = new Stack(config, notice -> System.out.println("notice: " + notice));
  }

  /** {@code serviceYaml} is the service's body, indented by four spaces. */
  static ItProject create(String kind, String serviceYaml) {
    return createServices(kind, "  web:\n" + serviceYaml);
  }

  /** {@code servicesYaml} is the body of {@code services:}, each service indented by two spaces. */
  static ItProject createServices(String kind, String servicesYaml) {
    return createServices(kind, servicesYaml, "");
  }

  /** With more top-level settings ({@code metrics:} ...) at the end of the file. */
  static ItProject createServices(String kind, String servicesYaml, String more) {
    return createNamed(name(kind), servicesYaml, more, java.util.Map.of());
  }

  /** A unique project name for a test of this kind. */
  static String name(String kind) {
    return "dsit-" + kind + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** Named beforehand (to label what the test makes first), with its Swarm services' labels. */
  static ItProject createNamed(
      String project,
      String servicesYaml,
      String more,
      java.util.Map<String, java.util.Map<String, String>> labels) {
    int port = Waits.freePort();
    ItProject p = new ItProject(project, port, yaml(project, port, servicesYaml) + more, labels);
    p.stack.prepareImages();
    return p;
  }

  /** The whole config file of a project, for reloads. */
  static String yaml(String project, int port, String servicesYaml) {
    return "project: "
        + project
        + "\ninterval: 1s\nservices:\n"
        + servicesYaml
        + "balancer:\n  listen: 127.0.0.1:"
        + port
        + "\n";
  }

  /** The latest status of one service. */
  ServiceStatus status(String service) {
    return statuses.get(service);
  }

  static String service(int min, int max, String scale) {
    return """
            image: dockscale/sample-backend:latest
            env: { SERVER_NAME: "{{name}}", SHUTDOWN_GRACE: "5" }
            resources: { cpus: 0.5, memory: 256m }
            health: { path: /health }
            replicas: { min: %d, max: %d }
            scale:
        %s
            drain: 2s
            stop-timeout: 5s
        """
        .formatted(min, max, scale.indent(6).stripTrailing());
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Controller startLoop() {
    controller = stack.controller(false);
    controller.onTick(
        all -> {
          if (!all.isEmpty()) {
            latest.set(all.get(0));
          }
          all.forEach(s -> statuses.put(s.service(), s));
          ticks.incrementAndGet();
        });
    controller.start();
    return controller;
  }

  /** Starts the loop and waits until {@code replicas} are ready and the balancer answers. */
  Controller startServing(int replicas) {
    Controller loop = startLoop();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(120))
        .until(() -> settledAt(replicas) && Http.ok(url("/")));
    return loop;
  }

  int ticks() {
    return ticks.get();
  }

  /** Waits for {@code d} to pass (Awaitility's pause: nothing to poll for while it passes). */
  void awaitTimeOrTicks(java.time.Duration d) {
    long end = System.nanoTime() + d.toNanos();
    org.awaitility.Awaitility.await()
        .atMost(d.plusSeconds(5))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> System.nanoTime() >= end);
  }

  /** Waits until the loop has run {@code n} more ticks. */
  void awaitTicks(int n) {
    int target = ticks.get() + n;
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(n * 5L + 10))
        .until(() -> ticks.get() >= target);
  }

  void stopLoop() {
    if (controller != null) {
      controller.close();
      controller = null;
    }
  }

  long active() {
    ServiceStatus s = latest.get();
    return s == null ? 0 : s.active();
  }

  /** Active and not a single draining or exiting replica left. */
  boolean settledAt(long count) {
    return settled(latest.get(), count);
  }

  /** {@code service} has exactly {@code count} replicas, all ready, none leaving (warm aside). */
  boolean settledAt(String service, long count) {
    return settled(statuses.get(service), count);
  }

  private static boolean settled(ServiceStatus s, long count) {
    return s != null
        && s.active() == count
        && s.replicas().stream().filter(r -> !r.warm()).count() == count
        && s.ready() == count;
  }

  /** The project's container of this name (for faults: kill, pause, exec). */
  String containerId(String name) {
    return stack.docker().inspectContainerCmd(name).exec().getId();
  }

  /** Containers labelled with this project, in any state. */
  List<String> containers() {
    return stack
        .docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(java.util.Map.of(Labels.PROJECT, project))
        .exec()
        .stream()
        .map(c -> c.getNames()[0])
        .toList();
  }

  boolean networkExists() {
    return stack.docker().listNetworksCmd().exec().stream()
        .anyMatch(n -> config.networkName().equals(n.getName()));
  }

  @Override
  public void close() {
    stopLoop();
    try {
      stack.down();
    } catch (RuntimeException e) {
      System.out.println("cleanup of " + project + ": " + e.getMessage());
    } finally {
      stack.close();
    }
  }
}
