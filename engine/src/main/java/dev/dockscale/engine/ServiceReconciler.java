package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Decision;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Reconciles one service, level-triggered: each pass takes its replicas as observed (with their
 * readiness), replaces what will not serve again ({@link Healer}), asks the decision core how many
 * there should be (on deciding passes), and starts, drains ({@link Drains}) or rolls the difference
 * ({@link ReplicaActions}). Running it twice does no harm. What it keeps between passes (drain
 * timers, the crash-loop back-off, actions in flight) is only ever a delay: after a restart the
 * same containers are found and the same steps taken again.
 */
final class ServiceReconciler implements Reconciler {

  private final String project;
  private final String network;
  private volatile ServiceSpec spec;
  private volatile String template;
  private final Clock clock;
  private final boolean dryRun;
  private final ReplicaActions actions;
  private final Healer healer = new Healer();
  private final Drains drains;
  private final Decider decider;
  private final RoutingBatch batch = new RoutingBatch();

  /** Ready replicas this pass keeps out of the balancer for their batch, by id. */
  private volatile Set<String> held = Set.of();

  ServiceReconciler(
      String project,
      String network,
      ServiceSpec spec,
      ContainerRuntime runtime,
      Clock clock,
      boolean dryRun,
      Executor executor,
      Controls controls,
      Consumer<LoggedDecision> log) {
    this.project = project;
    this.network = network;
    this.spec = spec;
    this.template = Templates.hash(spec);
    this.clock = clock;
    this.dryRun = dryRun;
    this.actions = new ReplicaActions(runtime, executor);
    this.drains = new Drains(runtime);
    this.decider = new Decider(spec.policy(), clock, controls, log);
  }

  @Override
  public ServiceSpec spec() {
    return spec;
  }

  /**
   * Takes a changed spec (a reload): replicas of another template are rolled from the next pass on;
   * a changed policy gets a fresh decision core. Starts and stops in flight go on as they were.
   */
  @Override
  public void update(ServiceSpec changed) {
    decider.update(changed.policy());
    this.spec = changed;
    this.template = Templates.hash(changed);
  }

  /** The runtime answers again after an outage: the crash-loop back-off starts over. */
  @Override
  public void runtimeRecovered() {
    healer.crashLoop().recovered();
  }

  /** The replicas of one pass, sorted out. */
  private record Sorted(
      List<Replica> active, List<Replica> replacing, List<Replica> counting, List<Replica> warm) {}

  /**
   * One pass.
   *
   * @param observed this service's replicas, readiness filled in
   * @param readings the latest metrics, by replica id
   * @param decide whether to ask the decision core (ticks) or only repair (passes on events)
   * @param probed what the probe knows of each replica, by id
   */
  @Override
  public ServiceStatus reconcile(
      List<Replica> observed,
      Map<String, ReplicaMetrics> readings,
      boolean decide,
      Map<String, Prober.State> probed) {
    Instant now = clock.instant();
    List<String> acted = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    forgetAbsent(observed);

    actions.backgroundFailures().forEach(f -> healer.crashLoop().failed(now, f));
    if (!dryRun) {
      actions.endStartupBoosts(
          observed.stream().filter(r -> r.readiness() == Replica.Readiness.READY).toList(),
          spec.resources().cpus());
    }
    Map<String, String> unfit = Map.of();
    if (!dryRun) {
      Decision last = decider.last();
      int wanted = last == null ? spec.policy().min() : last.desired();
      Healer.Verdict verdict = healer.unfit(spec, observed, probed, now, wanted);
      unfit = verdict.unfit();
      if (!verdict.waiting().isEmpty()) {
        problems.add(verdict.waiting());
      }
    }
    for (Replica r : observed) {
      if (unfit.containsKey(r.id())) {
        actions.stop(r, unfit.get(r.id()), spec.stopTimeout(), acted);
      }
    }
    Sorted replicas = sort(observed, unfit.keySet());

    Decider.Pass pass =
        decider.pass(spec, Decider.views(replicas.counting(), readings), decide, now);
    Decision decision = pass.decision();
    int desired = pass.desired();
    boolean decided = pass.decided();
    if (dryRun) {
      if (decided) {
        decider.record(spec, decision, null);
      }
      return new ServiceStatus(spec.name(), observed, decision, acted, problems);
    }
    LoggedDecision.Scaled scaled = null;

    boolean mayStart = mayStart(now, problems);
    int counted = replicas.counting().size();
    if (desired > counted) {
      // The warm pool first: unpausing takes tens of milliseconds, a start a second or more.
      List<Replica> paused =
          replicas.warm().stream()
              .filter(r -> r.state() == Replica.State.PAUSED && r.template().equals(template))
              .limit(desired - counted)
              .toList();
      int added = actions.promote(paused, acted, problems);
      int missing = desired - counted - added;
      if (missing > 0 && mayStart) {
        // After a failure, one replica at a time: a broken image fails once per back-off.
        int count = healer.crashLoop().failures() > 0 ? 1 : missing;
        ReplicaActions.Started started = start(observed, count, "", acted, problems);
        batch.started(started.ids(), spec.batchWait());
        added += started.count();
      } else if (missing > 0 && decide) {
        decider.notCarriedOut(spec, decision, problems);
      }
      // The pool is refilled by a later pass, so that this one reaches the balancer first.
      mayStart = false;
      if (decide) {
        scaled = decider.confirm(spec, decision, counted, counted + added);
      }
    } else if (decide && desired < counted) {
      int drained = scaleIn(replicas.counting(), readings, counted - desired, acted, problems);
      scaled = decider.confirm(spec, decision, counted, counted - drained);
    } else {
      roll(replicas, mayStart, observed, acted, problems);
    }
    keepWarmPool(replicas.warm(), mayStart, observed, acted);
    // A replacement that is ready takes the place of the one it replaces.
    for (Replica r : replicas.replacing()) {
      if (r.ready()) {
        replicas.active().stream()
            .filter(old -> old.id().equals(r.replaces()))
            .findFirst()
            .ifPresent(old -> drains.drain(old, "replaced by " + r.name(), spec.drain(), acted));
      }
    }
    for (Replica r : drains.drained(observed, spec.drain(), now)) {
      actions.stop(r, "drained", spec.stopTimeout(), acted);
    }
    if (decided) {
      decider.record(spec, decision, scaled);
    }
    held = batch.held(observed, this::routable, now, acted);
    return new ServiceStatus(spec.name(), observed, decision, acted, problems);
  }

  @Override
  public Optional<Instant> heldUntil() {
    return batch.heldUntil();
  }

  @Override
  public void recall(LoggedDecision past) {
    decider.recall(past);
  }

  /** Active replicas, and among them the replacements that do not count yet. */
  private Sorted sort(List<Replica> observed, Set<String> unfit) {
    List<Replica> active =
        observed.stream()
            .filter(r -> r.active() && !unfit.contains(r.id()) && !actions.stopping(r.id()))
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
    List<Replica> warm =
        observed.stream()
            .filter(
                r ->
                    r.warm()
                        && !r.draining()
                        && r.state() != Replica.State.EXITED
                        && !unfit.contains(r.id())
                        && !actions.stopping(r.id()))
            .sorted(Comparator.comparingInt(Replica::index))
            .toList();
    return new Sorted(active, replacing, counting, warm);
  }

  /** Whether this pass may start replicas: the image is there, nothing in flight, no back-off. */
  private boolean mayStart(Instant now, List<String> problems) {
    boolean may = true;
    ContainerRuntime.ImageState image = actions.prepareImage(spec.image());
    if (!image.present()) {
      problems.add(image.message());
      may = false;
    } else if (actions.startsInFlight() > 0) {
      problems.add("waiting for " + actions.startsInFlight() + " start(s) still in flight");
      may = false;
    } else if (!healer.crashLoop().mayStart(now)) {
      may = false;
    }
    String backoff = healer.crashLoop().describe(now);
    if (!backoff.isEmpty()) {
      problems.add(backoff);
    }
    return may;
  }

  /** Starts {@code count} replicas and waits for them. Failures feed the crash loop. */
  private ReplicaActions.Started start(
      List<Replica> observed,
      int count,
      String replaces,
      List<String> acted,
      List<String> problems) {
    List<ReplicaSpec> specs =
        actions.freeIndexes(observed, count).stream()
            .map(index -> Templates.replica(project, network, spec, index, replaces, false))
            .toList();
    ReplicaActions.Started started = actions.start(specs, acted, problems);
    started.failures().forEach(f -> healer.crashLoop().failed(clock.instant(), f));
    return started;
  }

  /** Scale-in: drains {@code count} victims; returns how many were taken out. */
  private int scaleIn(
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
    for (Replica victim : Drains.victims(eligible, count, readings, template)) {
      if (drains.drain(victim, "scale-in", spec.drain(), acted)) {
        drained++;
      }
    }
    return drained;
  }

  /**
   * Rolls one replica of an old template at a time: a replacement is started beside it, and the old
   * one is drained once the new one is ready (so a service of one replica keeps serving).
   */
  private void roll(
      Sorted replicas,
      boolean mayStart,
      List<Replica> observed,
      List<String> acted,
      List<String> problems) {
    List<Replica> outdated =
        replicas.counting().stream().filter(r -> !r.template().equals(template)).toList();
    if (outdated.isEmpty() || !replicas.replacing().isEmpty() || !mayStart) {
      return;
    }
    Replica old =
        outdated.stream()
            .sorted(Comparator.comparing(Replica::ready).thenComparing(Replica::index))
            .findFirst()
            .orElseThrow();
    if (!old.ready()) {
      // It serves nothing: no need to keep it until its replacement is ready.
      actions.stop(old, "rolled to the new template", spec.stopTimeout(), acted);
      return;
    }
    acted.add("rolling " + old.name() + " (" + outdated.size() + " of the old template left)");
    start(observed, 1, old.id(), acted, problems);
  }

  /**
   * Keeps {@code replicas.warm} replicas of the current template started, ready and paused: a ready
   * one is paused, an old template's is stopped, missing ones are started (when nothing else is
   * being started), extra ones are stopped.
   */
  private void keepWarmPool(
      List<Replica> warm, boolean mayStart, List<Replica> observed, List<String> acted) {
    int kept = 0;
    for (Replica r : warm) {
      if (!r.template().equals(template)) {
        actions.stop(r, "warm pool: an old template", spec.stopTimeout(), acted);
      } else if (kept >= spec.warm()) {
        actions.stop(r, "warm pool: more than replicas.warm", spec.stopTimeout(), acted);
      } else {
        kept++;
        if (r.state() == Replica.State.RUNNING && r.readiness() == Replica.Readiness.READY) {
          actions.pause(r, acted);
        }
      }
    }
    if (kept < spec.warm() && mayStart) {
      actions.startInBackground(
          actions.freeIndexes(observed, spec.warm() - kept).stream()
              .map(index -> Templates.replica(project, network, spec, index, "", true))
              .toList(),
          acted);
    }
  }

  /** What is kept per replica goes with the replica. */
  private void forgetAbsent(List<Replica> observed) {
    Set<String> present = new HashSet<>();
    observed.forEach(r -> present.add(r.id()));
    healer.retain(present);
    drains.retain(present);
    actions.retain(present);
  }

  /** The replicas that should take traffic: active and ready, and not held for their batch. */
  @Override
  public List<Balancer.Backend> backends(ServiceStatus status) {
    Set<String> holding = held;
    return status.replicas().stream()
        .filter(r -> routable(r) && !holding.contains(r.id()))
        .sorted(Comparator.comparingInt(Replica::index))
        .map(r -> new Balancer.Backend(r.name(), r.address(), spec.port()))
        .toList();
  }

  private boolean routable(Replica r) {
    return r.active() && r.ready() && !actions.stopping(r.id()) && !drains.leaving(r.id());
  }

  /** Called once the balancer routes exactly {@code status}'s backends: drain timers start now. */
  @Override
  public void balancerConfirmed(ServiceStatus status) {
    drains.confirmed(status.replicas(), clock.instant());
  }
}
