package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Autoscaler;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.Durations;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScaleIn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one service, level-triggered: each pass takes its replicas as observed (with their
 * readiness), heals what is broken, asks the decision core how many there should be (on deciding
 * passes), and starts, drains, rolls or stops the difference. Running it twice does no harm. What
 * it keeps between passes (drain timers, the crash-loop back-off, stops in flight) is only ever a
 * delay: after a restart the same containers are found and the same steps taken again.
 */
final class ServiceReconciler {

  private static final Logger DECISIONS = LoggerFactory.getLogger("dockscale.decisions");
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

  /** The longest a pass waits for its starts; slower ones finish in the background. */
  static final Duration START_WAIT = Duration.ofSeconds(30);

  private final String project;
  private final String network;
  private volatile ServiceSpec spec;
  private volatile String template;
  private final ContainerRuntime runtime;
  private Autoscaler autoscaler;
  private final Clock clock;
  private final boolean dryRun;
  private final Executor actions;
  private final CrashLoop crashLoop = new CrashLoop();

  private Decision lastDecision;

  /** When each draining replica was first seen out of the balancer. */
  private final Map<String, Instant> outOfBalancerSince = new HashMap<>();

  /** Replicas being stopped right now, by id: neither failures nor counted. */
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();

  /** Replicas this reconciler took out of rotation, until an observation shows them draining. */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();

  /** Indexes being started right now. */
  private final Set<Integer> starting = ConcurrentHashMap.newKeySet();

  /** Replicas whose failure was counted, so each counts once. */
  private final Set<String> failed = new HashSet<>();

  /** The restart count last seen of each replica: a higher one is a crash the runtime healed. */
  private final Map<String, Integer> restarts = new HashMap<>();

  ServiceReconciler(
      String project,
      String network,
      ServiceSpec spec,
      ContainerRuntime runtime,
      Clock clock,
      boolean dryRun,
      Executor actions) {
    this.project = project;
    this.network = network;
    this.spec = spec;
    this.template = Templates.hash(spec);
    this.runtime = runtime;
    this.autoscaler = new Autoscaler(spec.policy(), clock);
    this.clock = clock;
    this.dryRun = dryRun;
    this.actions = actions;
  }

  ServiceSpec spec() {
    return spec;
  }

  /**
   * Takes a changed spec (a reload): replicas of another template are rolled from the next pass on;
   * a changed policy gets a fresh decision core. Starts and stops in flight go on as they were.
   */
  void update(ServiceSpec changed) {
    if (!changed.policy().equals(spec.policy())) {
      autoscaler = new Autoscaler(changed.policy(), clock);
    }
    this.spec = changed;
    this.template = Templates.hash(changed);
  }

  /**
   * One pass.
   *
   * @param observed this service's replicas, readiness filled in
   * @param readings the latest metrics, by replica id
   * @param decide whether to ask the decision core (ticks) or only repair (passes on events)
   * @param probed what the probe knows of each replica, by id
   */
  ServiceStatus reconcile(
      List<Replica> observed,
      Map<String, ReplicaMetrics> readings,
      boolean decide,
      Map<String, Prober.State> probed) {
    Instant now = clock.instant();
    List<String> acted = new ArrayList<>();
    List<String> problems = new ArrayList<>();

    forgetAbsent(observed);
    Set<String> removed = dryRun ? Set.of() : heal(observed, probed, now, acted);
    if (observed.stream()
        .anyMatch(r -> r.ready() && r.startedAt().isAfter(crashLoop.lastFailureAt()))) {
      crashLoop.recovered();
    }
    List<Replica> active =
        observed.stream()
            .filter(r -> r.active() && !removed.contains(r.id()) && !stopping.contains(r.id()))
            .sorted(Comparator.comparingInt(Replica::index))
            .toList();
    Set<String> activeIds = new HashSet<>();
    active.forEach(r -> activeIds.add(r.id()));
    // A replacement counts once the replica it replaces is on its way out.
    List<Replica> replacing =
        active.stream()
            .filter(r -> !r.replaces().isEmpty() && activeIds.contains(r.replaces()))
            .toList();
    List<Replica> counting = active.stream().filter(r -> !replacing.contains(r)).toList();

    Decision decision = lastDecision;
    int desired;
    if (decide || lastDecision == null) {
      decision = autoscaler.decide(views(counting, readings));
      DECISIONS.info("{} {}", spec.name(), decision.line());
      lastDecision = decision;
      desired = decision.desired();
    } else {
      // A pass on an event only repairs: it restores the last decided count, never scales in.
      desired = Math.max(lastDecision.desired(), spec.policy().min());
    }
    if (dryRun) {
      return new ServiceStatus(spec.name(), observed, decision, acted, problems);
    }

    ContainerRuntime.ImageState image = runtime.prepareImage(spec.image());
    boolean mayStart = true;
    if (!image.present()) {
      problems.add(image.message());
      mayStart = false;
    } else if (!starting.isEmpty()) {
      problems.add("waiting for " + starting.size() + " start(s) still in flight");
      mayStart = false;
    } else if (!crashLoop.mayStart(now)) {
      mayStart = false;
    }
    String backoff = crashLoop.describe(now);
    if (!backoff.isEmpty()) {
      problems.add(backoff);
    }

    if (desired > counting.size()) {
      if (mayStart) {
        int wanted = desired - counting.size();
        // After a failure, one replica at a time: a broken image fails once per back-off.
        int count = crashLoop.failures() > 0 ? 1 : wanted;
        int started = startReplicas(observed, count, "", acted, problems);
        if (decide) {
          confirm(decision, counting.size(), counting.size() + started);
        }
      } else if (decide) {
        logNotCarriedOut(decision, problems);
      }
    } else if (decide && desired < counting.size()) {
      int drained = drain(counting, readings, counting.size() - desired, acted, problems);
      if (decide) {
        confirm(decision, counting.size(), counting.size() - drained);
      }
    } else {
      roll(counting, replacing, mayStart, observed, acted, problems);
    }
    // A replacement that is ready takes the place of the one it replaces.
    for (Replica r : replacing) {
      if (r.ready()) {
        active.stream()
            .filter(old -> old.id().equals(r.replaces()))
            .findFirst()
            .ifPresent(old -> markDraining(old, "replaced by " + r.name(), acted));
      }
    }
    for (Replica r : observed) {
      Instant since = outOfBalancerSince.get(r.id());
      if (r.draining()
          && since != null
          && !Duration.between(since, now).minus(spec.drain()).isNegative()) {
        stop(r, "drained", acted);
      }
    }
    return new ServiceStatus(spec.name(), observed, decision, acted, problems);
  }

  private List<ReplicaView> views(List<Replica> counting, Map<String, ReplicaMetrics> readings) {
    return counting.stream()
        .map(
            r ->
                ReplicaView.of(
                    r.name(),
                    r.startedAt(),
                    r.ready(),
                    readings.containsKey(r.id()) ? readings.get(r.id()).readings() : Map.of()))
        .toList();
  }

  /**
   * Removes replicas that will not serve again: exited ones; ones that never passed their probe
   * within {@code health.start-period} of it first answering for this run (or, never started, of
   * their creation); ones unhealthy for {@code health.replace-after}. Each counts as a failure for
   * the crash-loop back-off, as does a restart in place by the runtime. Returns their ids.
   */
  private Set<String> heal(
      List<Replica> observed, Map<String, Prober.State> probed, Instant now, List<String> acted) {
    Set<String> removed = new HashSet<>();
    var health = spec.health();
    for (Replica r : observed) {
      if (r.draining() || stopping.contains(r.id())) {
        continue;
      }
      Prober.State p = probed.getOrDefault(r.id(), Prober.State.NONE);
      String why = null;
      if (r.state() == Replica.State.EXITED) {
        why = r.exit().describe();
      } else if (r.state() == Replica.State.CREATED
          && olderThan(r.createdAt(), health.startPeriod(), now)) {
        why = "created but never started within health.start-period";
      } else if (r.readiness() == Replica.Readiness.UNKNOWN
          && p.waitingSince() != null
          && olderThan(p.waitingSince(), health.startPeriod(), now)) {
        why =
            "not ready within health.start-period "
                + Durations.format(health.startPeriod())
                + " (last probe: "
                + p.detail()
                + ")";
      } else if (r.readiness() == Replica.Readiness.UNHEALTHY
          && p.unhealthySince() != null
          && olderThan(p.unhealthySince(), health.replaceAfter(), now)) {
        why =
            "unhealthy for health.replace-after "
                + Durations.format(health.replaceAfter())
                + " (last probe: "
                + p.detail()
                + ")";
      }
      if (why != null) {
        failure(r, why, now);
        removed.add(r.id());
        stop(r, why, acted);
      } else {
        Integer seen = restarts.put(r.id(), r.restarts());
        if (seen != null && r.restarts() > seen) {
          crashLoop.failed(now, r.name() + " restarted in place after it " + r.exit().describe());
          LOG.warn("{}: {} restarted after it {}", spec.name(), r.name(), r.exit().describe());
        }
      }
    }
    return removed;
  }

  private static boolean olderThan(Instant since, Duration age, Instant now) {
    return Duration.between(since, now).compareTo(age) > 0;
  }

  private void failure(Replica r, String why, Instant now) {
    if (failed.add(r.id())) {
      crashLoop.failed(now, r.name() + " " + why);
      LOG.warn("{}: {} {}", spec.name(), r.name(), why);
    }
  }

  /** Starts {@code count} replicas at once; returns how many started. */
  private int startReplicas(
      List<Replica> observed,
      int count,
      String replaces,
      List<String> acted,
      List<String> problems) {
    Set<Integer> taken = new HashSet<>(starting);
    observed.forEach(r -> taken.add(r.index()));
    List<CompletableFuture<Replica>> starts = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = 1;
      while (taken.contains(index)) {
        index++;
      }
      taken.add(index);
      indexes.add(index);
      starting.add(index);
      ReplicaSpec replica = Templates.replica(project, network, spec, index, replaces);
      CompletableFuture<Replica> f =
          CompletableFuture.supplyAsync(() -> runtime.start(replica), actions);
      f.whenComplete((r, e) -> starting.remove(replica.index()));
      starts.add(f);
    }
    int started = 0;
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    for (int i = 0; i < starts.size(); i++) {
      String name = ReplicaSpec.nameOf(project, spec.name(), indexes.get(i));
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        Replica r = starts.get(i).get(left, TimeUnit.NANOSECONDS);
        started++;
        acted.add("started " + r.name() + (replaces.isEmpty() ? "" : " (a replacement)"));
        LOG.info("{}: started {}", spec.name(), r.name());
      } catch (TimeoutException e) {
        problems.add("start of " + name + " takes longer than " + Durations.format(START_WAIT));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return started;
      } catch (java.util.concurrent.ExecutionException e) {
        String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
        crashLoop.failed(clock.instant(), "start of " + name + " failed: " + why);
        problems.add("start of " + name + " failed: " + why);
        LOG.warn("{}: start of {} failed: {}", spec.name(), name, why);
      }
    }
    return started;
  }

  private void confirm(Decision decision, int before, int after) {
    autoscaler.scaled(before, after);
    if (after != decision.desired() && decision.desired() != decision.current()) {
      DECISIONS.warn(
          "{} {} -> {} carried out only to {}; the cooldown counts what was done",
          spec.name(),
          decision.current(),
          decision.desired(),
          after);
    }
  }

  private void logNotCarriedOut(Decision decision, List<String> problems) {
    if (decision.desired() != decision.current()) {
      DECISIONS.warn(
          "{} {} -> {} not carried out: {}",
          spec.name(),
          decision.current(),
          decision.desired(),
          String.join("; ", problems));
    }
  }

  /** Scale-in: drains {@code count} victims; returns how many were taken out. */
  private int drain(
      List<Replica> counting,
      Map<String, ReplicaMetrics> readings,
      int count,
      List<String> acted,
      List<String> problems) {
    List<Replica> eligible = counting.stream().filter(r -> !r.protect()).toList();
    if (eligible.size() < count) {
      problems.add(
          (counting.size() - eligible.size())
              + " replica(s) carry dockscale.protect=true and are never chosen for scale-in");
    }
    int drained = 0;
    for (Replica victim : victims(eligible, count, readings, template)) {
      if (markDraining(victim, "scale-in", acted)) {
        drained++;
      }
    }
    return drained;
  }

  /**
   * Scale-in takes replicas that are not ready first, then those of an old template, then the least
   * loaded, then the newest.
   */
  static List<Replica> victims(
      List<Replica> eligible, int count, Map<String, ReplicaMetrics> readings, String template) {
    Comparator<Replica> order =
        Comparator.comparing(Replica::ready)
            .thenComparing(r -> r.template().equals(template))
            .thenComparingDouble(r -> load(readings.get(r.id())))
            .thenComparing(Comparator.comparingInt(Replica::index).reversed());
    return ScaleIn.victims(eligible, count, order);
  }

  private static double load(ReplicaMetrics m) {
    return m == null ? 0 : m.get(Metric.CPU).orElse(0);
  }

  /**
   * Rolls one replica of an old template at a time: a replacement is started beside it, and the old
   * one is drained once the new one is ready (so a service of one replica keeps serving).
   */
  private void roll(
      List<Replica> counting,
      List<Replica> replacing,
      boolean mayStart,
      List<Replica> observed,
      List<String> acted,
      List<String> problems) {
    List<Replica> outdated = counting.stream().filter(r -> !r.template().equals(template)).toList();
    if (outdated.isEmpty() || !replacing.isEmpty()) {
      return;
    }
    Replica old =
        outdated.stream()
            .sorted(Comparator.comparing(Replica::ready).thenComparing(Replica::index))
            .findFirst()
            .orElseThrow();
    if (!old.ready()) {
      if (mayStart) {
        // It serves nothing: no need to keep it until its replacement is ready.
        stop(old, "rolled to the new template", acted);
      }
      return;
    }
    if (mayStart) {
      acted.add("rolling " + old.name() + " (" + outdated.size() + " of the old template left)");
      startReplicas(observed, 1, old.id(), acted, problems);
    }
  }

  private boolean markDraining(Replica victim, String why, List<String> acted) {
    try {
      runtime.markDraining(victim);
      leaving.add(victim.id());
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: could not take {} out of rotation: {}", spec.name(), victim.name(), e.toString());
      return false;
    }
    acted.add("draining " + victim.name() + " (" + why + ")");
    LOG.info(
        "{}: draining {} ({}); out of the balancer now, stopped after {}",
        spec.name(),
        victim.name(),
        why,
        Durations.format(spec.drain()));
    return true;
  }

  /** What is kept per replica goes with the replica. */
  private void forgetAbsent(List<Replica> observed) {
    Set<String> present = new HashSet<>();
    observed.forEach(r -> present.add(r.id()));
    failed.retainAll(present);
    restarts.keySet().retainAll(present);
    leaving.retainAll(present);
    outOfBalancerSince.keySet().retainAll(present);
  }

  /** The replicas that should take traffic: active and ready. */
  List<Balancer.Backend> backends(ServiceStatus status) {
    return status.replicas().stream()
        .filter(
            r -> r.active() && r.ready() && !stopping.contains(r.id()) && !leaving.contains(r.id()))
        .sorted(Comparator.comparingInt(Replica::index))
        .map(r -> new Balancer.Backend(r.name(), r.address(), spec.port()))
        .toList();
  }

  /** Called once the balancer routes exactly {@code status}'s backends: drain timers start now. */
  void balancerConfirmed(ServiceStatus status) {
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    for (Replica r : status.replicas()) {
      present.add(r.id());
      if (r.draining() || leaving.contains(r.id())) {
        outOfBalancerSince.putIfAbsent(r.id(), now);
      }
      if (r.draining()) {
        leaving.remove(r.id());
      }
    }
    outOfBalancerSince.keySet().retainAll(present);
  }

  private void stop(Replica replica, String why, List<String> acted) {
    if (!stopping.add(replica.id())) {
      return;
    }
    acted.add("stopping " + replica.name() + " (" + why + ")");
    LOG.info("{}: stopping {} ({})", spec.name(), replica.name(), why);
    Duration timeout =
        replica.state() == Replica.State.RUNNING ? spec.stopTimeout() : Duration.ZERO;
    CompletableFuture.runAsync(() -> runtime.stopAndRemove(replica, timeout), actions)
        .whenComplete(
            (v, e) -> {
              stopping.remove(replica.id());
              if (e != null) {
                LOG.warn("{}: could not stop {}: {}", spec.name(), replica.name(), e.toString());
              }
            });
  }

  /** The runtime answers again after an outage: the crash-loop back-off starts over. */
  void runtimeRecovered() {
    crashLoop.recovered();
  }
}
