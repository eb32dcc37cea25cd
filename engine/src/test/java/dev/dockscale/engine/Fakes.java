package dev.dockscale.engine;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.policy.ThresholdStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** In-memory runtime, balancer, metrics and probe: the loop without a daemon, in milliseconds. */
final class Fakes {

  private Fakes() {}

  static ServiceSpec service(String name, String path, int min, int max) {
    return service(name, path, "app:1", min, max);
  }

  static ServiceSpec service(String name, String path, String image, int min, int max) {
    return service(name, path, image, min, max, 0);
  }

  static ServiceSpec service(String name, String path, String image, int min, int max, int warm) {
    return new ServiceSpec(
        name,
        image,
        8000,
        Map.of("SERVER_NAME", "{{name}}"),
        new ServiceSpec.Resources(0.5, 256L << 20, ""),
        new ServiceSpec.HealthSpec(
            "/health",
            false,
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(60),
            Duration.ofSeconds(30),
            Change.percent(25)),
        new ScalingPolicy(
            "classic",
            min,
            max,
            List.of(new MetricRule(Metric.CPU, new ThresholdStrategy(70, 20, Change.replicas(1)))),
            Behavior.none()),
        path,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        warm,
        Duration.ZERO,
        List.of());
  }

  /** {@code s} with replicas started together routed together, waiting at most {@code wait}. */
  static ServiceSpec withBatchWait(ServiceSpec s, Duration wait) {
    return copy(s, s.resources(), s.health(), wait);
  }

  /** {@code s} whose replicas start with {@code startupCpus} until they are first ready. */
  static ServiceSpec withStartupCpus(ServiceSpec s, double startupCpus) {
    var r = s.resources();
    return copy(
        s,
        new ServiceSpec.Resources(r.cpus(), r.memoryBytes(), r.cpuset(), startupCpus),
        s.health(),
        s.batchWait());
  }

  /** {@code s} replacing at most {@code max} replicas at once for failing their probe. */
  static ServiceSpec withMaxReplacing(ServiceSpec s, Change max) {
    var h = s.health();
    var health =
        new ServiceSpec.HealthSpec(
            h.path(),
            h.tcp(),
            h.interval(),
            h.timeout(),
            h.retries(),
            h.startPeriod(),
            h.replaceAfter(),
            max);
    return copy(s, s.resources(), health, s.batchWait());
  }

  private static ServiceSpec copy(
      ServiceSpec s,
      ServiceSpec.Resources resources,
      ServiceSpec.HealthSpec health,
      Duration batchWait) {
    return new ServiceSpec(
        s.name(),
        s.image(),
        s.port(),
        s.env(),
        resources,
        health,
        s.policy(),
        s.path(),
        s.drain(),
        s.stopTimeout(),
        s.startup(),
        s.warm(),
        batchWait,
        s.placement());
  }

  /** A controller over fakes and a manual clock, and the fakes it was built on. */
  static final class Loop implements AutoCloseable {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Runtime runtime = new Runtime(clock);
    final Balancer balancer = new Balancer();
    final Probe probe = new Probe();
    Controller controller;

    /** A new controller of these services (not started: tests drive the passes). */
    Controller of(ServiceSpec... services) {
      controller =
          new Controller(
              config(services),
              runtime,
              new Metrics(runtime),
              balancer,
              probe,
              clock,
              false,
              new Direct());
      return controller;
    }

    /** These replicas answer their probes from now on. */
    void serve(Collection<String> names) {
      probe.serving.addAll(names);
    }

    /** Every replica of {@code service} started so far answers its probe from now on. */
    void serveAll(String service) {
      runtime.containers.values().stream()
          .filter(r -> r.service().equals(service))
          .forEach(r -> probe.serving.add(r.name()));
    }

    /** Moves time on, lets the due probes run, then one repairing pass (what their change runs). */
    List<ServiceStatus> probeAfter(Duration d) {
      clock.advance(d);
      controller.pollProbes();
      return controller.repair();
    }

    @Override
    public void close() {
      if (controller != null) {
        controller.close();
      }
    }
  }

  static DockscaleConfig config(ServiceSpec... services) {
    Map<String, ServiceSpec> map = new LinkedHashMap<>();
    for (ServiceSpec s : services) {
      map.put(s.name(), s);
    }
    return new DockscaleConfig(
        "p",
        Duration.ofSeconds(1),
        map,
        new DockscaleConfig.BalancerSpec("127.0.0.1", 8080, "dockscale/nginx:latest"));
  }

  /** A runtime whose containers start RUNNING at once; tests change their state by hand. */
  static final class Runtime implements ContainerRuntime {
    final ManualClock clock;
    final Map<String, Replica> containers = new LinkedHashMap<>();
    final Set<String> missingImages = new HashSet<>();
    final Set<String> failingImages = new HashSet<>();
    final List<String> log = new ArrayList<>();

    /** Replicas started with a start-up boost not ended yet (the Engine's own record of it). */
    final Set<String> boosted = new HashSet<>();

    boolean down;
    int next = 1;

    Runtime(ManualClock clock) {
      this.clock = clock;
    }

    @Override
    public void ensureNetwork(String project, String network) {
      requireUp();
    }

    private void requireUp() {
      if (down) {
        throw new IllegalStateException("the engine does not answer");
      }
    }

    @Override
    public synchronized List<Replica> replicas(String project, String network) {
      requireUp();
      return List.copyOf(containers.values());
    }

    @Override
    public ImageState prepareImage(String image) {
      return missingImages.contains(image)
          ? ImageState.failed("image " + image + " not found")
          : ImageState.PRESENT_STATE;
    }

    @Override
    public synchronized Replica start(ReplicaSpec spec) {
      requireUp();
      if (failingImages.contains(spec.image())) {
        throw new IllegalStateException("the engine refused to start " + spec.name());
      }
      String id = "c" + next++;
      Instant now = clock.instant();
      Replica r =
          new Replica(
              id,
              spec.warm() ? spec.name() + "-warm" : spec.name(),
              spec.service(),
              spec.index(),
              Replica.State.RUNNING,
              Replica.Readiness.UNKNOWN,
              "10.0.0." + (next),
              now,
              now,
              false,
              spec.warm(),
              spec.template(),
              spec.replaces(),
              false,
              0,
              null);
      containers.put(id, r);
      log.add(
          "start "
              + spec.name()
              + " "
              + spec.image()
              + (spec.boosted() ? " with " + spec.startupCpus() + " CPUs" : ""));
      if (spec.boosted()) {
        boosted.add(id);
      }
      return r;
    }

    @Override
    public synchronized void pause(Replica replica) {
      Replica r = containers.get(replica.id());
      containers.put(
          r.id(), copy(r, r.name(), r.draining(), Replica.State.PAUSED, r.protect(), r.exit()));
      log.add("pause " + r.name());
    }

    @Override
    public synchronized Replica promote(Replica replica) {
      Replica r = containers.get(replica.id());
      String name = r.name().replace("-warm", "");
      Replica promoted =
          new Replica(
              r.id(),
              name,
              r.service(),
              r.index(),
              Replica.State.RUNNING,
              r.readiness(),
              r.address(),
              r.createdAt(),
              r.startedAt(),
              false,
              false,
              r.template(),
              r.replaces(),
              r.protect(),
              r.restarts(),
              r.exit());
      containers.put(r.id(), promoted);
      log.add("promote " + name);
      return promoted;
    }

    @Override
    public synchronized void endStartupBoost(Replica replica, double cpus) {
      log.add("end boost " + replica.name());
      if (boosted.remove(replica.id())) {
        log.add("boost over " + replica.name() + " at " + cpus + " CPUs");
      }
    }

    @Override
    public synchronized void markDraining(Replica replica) {
      Replica r = containers.get(replica.id());
      if (r != null && !r.draining()) {
        containers.put(
            r.id(), copy(r, r.name() + "-draining", true, r.state(), r.protect(), r.exit()));
        log.add("drain " + r.name());
      }
    }

    @Override
    public synchronized void stopAndRemove(Replica replica, Duration timeout) {
      if (containers.remove(replica.id()) != null) {
        log.add("stop " + replica.name());
      }
    }

    @Override
    public AutoCloseable watch(String project, Consumer<RuntimeEvent> onEvent) {
      return () -> {};
    }

    @Override
    public List<String> removeProject(String project, String network) {
      return List.of();
    }

    synchronized Replica named(String name) {
      return containers.values().stream()
          .filter(r -> r.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no replica " + name + " in " + containers));
    }

    synchronized void set(String name, Replica.State state, Replica.Exit exit) {
      Replica r = named(name);
      containers.put(r.id(), copy(r, r.name(), r.draining(), state, r.protect(), exit));
    }

    /** The runtime restarts the replica in place: a new start time, one more restart. */
    synchronized void restart(String name) {
      Replica r = named(name);
      containers.put(
          r.id(),
          new Replica(
              r.id(),
              r.name(),
              r.service(),
              r.index(),
              Replica.State.RUNNING,
              r.readiness(),
              r.address(),
              r.createdAt(),
              clock.instant(),
              r.draining(),
              r.warm(),
              r.template(),
              r.replaces(),
              r.protect(),
              r.restarts() + 1,
              new Replica.Exit(1, false, "")));
    }

    synchronized void protect(String name) {
      Replica r = named(name);
      containers.put(r.id(), copy(r, r.name(), r.draining(), r.state(), true, r.exit()));
    }

    synchronized long count(String service) {
      return containers.values().stream()
          .filter(r -> r.service().equals(service) && r.active())
          .count();
    }

    private static Replica copy(
        Replica r,
        String name,
        boolean draining,
        Replica.State state,
        boolean protect,
        Replica.Exit exit) {
      return new Replica(
          r.id(),
          name,
          r.service(),
          r.index(),
          state,
          r.readiness(),
          r.address(),
          r.createdAt(),
          r.startedAt(),
          draining,
          r.warm(),
          r.template(),
          r.replaces(),
          protect,
          r.restarts(),
          exit);
    }
  }

  /** A balancer that records what it was asked to route. */
  static final class Balancer implements dev.dockscale.engine.Balancer {
    List<Route> routes = List.of();
    int reloads;
    boolean rejectNext;
    RuntimeException failApply;

    @Override
    public void ensureRunning() {}

    @Override
    public Outcome apply(List<Route> next) {
      if (failApply != null) {
        throw failApply;
      }
      if (rejectNext) {
        rejectNext = false;
        return Outcome.REJECTED;
      }
      if (next.equals(routes)) {
        return Outcome.UNCHANGED;
      }
      routes = List.copyOf(next);
      reloads++;
      return Outcome.RELOADED;
    }

    List<String> backends(String service) {
      return routes.stream()
          .filter(r -> r.service().equals(service))
          .flatMap(r -> r.backends().stream())
          .map(Backend::name)
          .toList();
    }
  }

  /** CPU readings set by hand, per replica name; unnamed replicas read {@link #defaultCpu}. */
  static final class Metrics implements MetricsSource {
    final Runtime runtime;
    final Map<String, Double> cpu = new HashMap<>();
    double defaultCpu = 40;
    int reads;

    /** Request rate per replica by service; a service absent here has no rps reading. */
    final Map<String, Double> rps = new HashMap<>();

    /** What the source says it lacks ({@link MetricsSource#troubles()}). */
    List<Trouble> troubles = List.of();

    @Override
    public List<Trouble> troubles() {
      return troubles;
    }

    Metrics(Runtime runtime) {
      this.runtime = runtime;
    }

    @Override
    public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
      reads++;
      Map<String, ReplicaMetrics> out = new HashMap<>();
      for (MeasuredReplica m : replicas) {
        Replica r = runtime.containers.get(m.id());
        double value = r == null ? defaultCpu : cpu.getOrDefault(r.service(), defaultCpu);
        Map<Metric, Double> readings = new HashMap<>(Map.of(Metric.CPU, value));
        if (r != null && rps.containsKey(r.service())) {
          readings.put(Metric.RPS, rps.get(r.service()));
        }
        out.put(m.id(), ReplicaMetrics.of(m.id(), runtime.clock.instant(), readings));
      }
      return out;
    }

    @Override
    public void close() {}
  }

  /** A probe that passes for replicas named in {@link #serving} and fails for the others. */
  static final class Probe implements ReadinessProbe {
    final Set<String> serving = new HashSet<>();

    /** Replicas whose probes time out. */
    final Set<String> hanging = new HashSet<>();

    boolean channelDown;
    int probes;

    @Override
    public synchronized CompletableFuture<Result> probe(Target target) {
      probes++;
      if (channelDown) {
        return CompletableFuture.completedFuture(Result.unknown("balancer down"));
      }
      if (hanging.contains(target.name())) {
        return CompletableFuture.completedFuture(Result.timedOut("no answer within 1000 ms"));
      }
      return CompletableFuture.completedFuture(
          serving.contains(target.name()) ? Result.pass() : Result.fail("connection refused"));
    }
  }

  /** Runs every task at once, on the caller's thread. */
  static final class Direct extends AbstractExecutorService {
    private boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
