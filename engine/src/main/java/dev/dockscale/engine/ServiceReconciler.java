package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Autoscaler;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ReplicaView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one service, level-triggered: each pass takes its replicas as observed (with their
 * readiness), replaces what will not serve again ({@link Healer}), asks the decision core how many
 * there should be (on deciding passes), and starts, drains ({@link Drains}) or rolls the difference
 * ({@link ReplicaActions}). Running it twice does no harm. What it keeps between passes (drain
 * timers, the crash-loop back-off, actions in flight) is only ever a delay: after a restart the
 * same containers are found and the same steps taken again.
 */
final class ServiceReconciler {

  private static final Logger DECISIONS = LoggerFactory.getLogger("dockscale.decisions");

  private final String project;
  private final String network;
  private volatile ServiceSpec spec;
  private volatile String template;
  private Autoscaler autoscaler;
  private final Clock clock;
  private final boolean dryRun;
  private final ReplicaActions actions;
  private final Healer healer = new Healer();
  private final Drains drains;
  private final Controls controls;
  private final Consumer<LoggedDecision> log;
  private Decision lastDecision;

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
    this.autoscaler = new Autoscaler(spec.policy(), clock);
    this.clock = clock;
    this.dryRun = dryRun;
    this.actions = new ReplicaActions(runtime, executor);
    this.drains = new Drains(runtime);
    this.controls = controls;
    this.log = log;
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

  /** The runtime answers again after an outage: the crash-loop back-off starts over. */
  void runtimeRecovered() {
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
  ServiceStatus reconcile(
      List<Replica> observed,
      Map<String, ReplicaMetrics> readings,
      boolean decide,
      Map<String, Prober.State> probed) {
    Instant now = clock.instant();
    List<String> acted = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    forgetAbsent(observed);

    actions.backgroundFailures().forEach(f -> healer.crashLoop().failed(now, f));
    Map<String, String> unfit = dryRun ? Map.of() : healer.unfit(spec, observed, probed, now);
    for (Replica r : observed) {
      if (unfit.containsKey(r.id())) {
        actions.stop(r, unfit.get(r.id()), spec.stopTimeout(), acted);
      }
    }
    Sorted replicas = sort(observed, unfit.keySet());

    Decision decision = lastDecision;
    int desired;
    boolean decided = decide || lastDecision == null;
    if (decided) {
      decision = decide(views(replicas.counting(), readings), now);
      DECISIONS.info("{} {}", spec.name(), decision.line());
      lastDecision = decision;
      desired = decision.desired();
    } else {
      // A pass on an event only repairs: it restores the last decided count, never scales in.
      desired = Math.max(lastDecision.desired(), spec.policy().min());
    }
    if (dryRun) {
      if (decided) {
        log.accept(logged(decision, null));
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
        added += start(observed, count, "", false, acted, problems);
      } else if (missing > 0 && decide) {
        logNotCarriedOut(decision, problems);
      }
      // The pool is refilled by a later pass, so that this one reaches the balancer first.
      mayStart = false;
      if (decide) {
        scaled = confirm(decision, counted, counted + added);
      }
    } else if (decide && desired < counted) {
      int drained = scaleIn(replicas.counting(), readings, counted - desired, acted, problems);
      scaled = confirm(decision, counted, counted - drained);
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
      log.accept(logged(decision, scaled));
    }
    return new ServiceStatus(spec.name(), observed, decision, acted, problems);
  }

  /**
   * The decision of this pass: the override's count while one is in force, the count it had while
   * paused, the decision core's otherwise. A pause or override says so in the reason and as an
   * adjustment (so sampling between ticks does not run a pass for pressure it would not act on).
   */
  private Decision decide(List<ReplicaView> views, Instant now) {
    Control control = controls.current(spec.name());
    int current = views.size();
    int ready = (int) views.stream().filter(ReplicaView::ready).count();
    Control.Override o = control.override();
    if (o != null && o.replicas() != spec.policy().clamp(o.replicas())) {
      controls.clearOverrideIf(
          spec.name(), o, "the config, whose replicas.min/max no longer allow " + o.replicas());
      o = null;
    }
    if (o != null) {
      String note =
          "override to "
              + o.replicas()
              + " by "
              + o.by()
              + " at "
              + o.at()
              + ", until "
              + o.until();
      return pinned(now, current, ready, o.replicas(), "override", note, views);
    }
    if (control.paused()) {
      Control.Pause p = control.pause();
      int kept = spec.policy().clamp(lastDecision != null ? lastDecision.desired() : current);
      String note =
          "paused by "
              + p.by()
              + " at "
              + p.at()
              + ": no scaling decision, keeps the "
              + kept
              + " replica(s) it had";
      return pinned(now, current, ready, kept, "pause", note, views);
    }
    return autoscaler.decide(views);
  }

  private static Decision pinned(
      Instant now,
      int current,
      int ready,
      int desired,
      String stage,
      String note,
      List<ReplicaView> views) {
    String action = desired > current ? "scale up" : desired < current ? "scale down" : "hold";
    return Decision.scaleTo(
        now,
        current,
        ready,
        desired,
        action + " (" + note + ")",
        List.of(),
        List.of(new Decision.Adjustment(stage, current, desired, note)),
        views);
  }

  private LoggedDecision logged(Decision decision, LoggedDecision.Scaled scaled) {
    return new LoggedDecision(
        0, spec.name(), decision, scaled, PolicyFingerprint.of(autoscaler.policy()));
  }

  /**
   * Takes back an earlier run's decision of this service (before the first pass), so that its
   * windows and cooldowns continue; one made under another policy is not taken back.
   */
  void recall(LoggedDecision past) {
    if (!PolicyFingerprint.of(autoscaler.policy()).equals(past.policy())) {
      // Made under another policy (or an unknown one): its windows meant something else.
      return;
    }
    autoscaler.recall(past.decision());
    if (past.scaled() != null) {
      autoscaler.recallScaled(past.decision().at(), past.scaled().before(), past.scaled().after());
    }
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

  /** Starts {@code count} replicas; returns how many started. Failures feed the crash loop. */
  private int start(
      List<Replica> observed,
      int count,
      String replaces,
      boolean warm,
      List<String> acted,
      List<String> problems) {
    List<ReplicaSpec> specs =
        actions.freeIndexes(observed, count).stream()
            .map(index -> Templates.replica(project, network, spec, index, replaces, warm))
            .toList();
    ReplicaActions.Started started = actions.start(specs, acted, problems);
    started.failures().forEach(f -> healer.crashLoop().failed(clock.instant(), f));
    return started.count();
  }

  /** Records what the runtime confirmed; returns it, or null when the count did not change. */
  private LoggedDecision.Scaled confirm(Decision decision, int before, int after) {
    // Restoring min (a first start, replacing lost replicas) is not a scale-out: no cooldown.
    int from = after > before ? Math.max(before, spec.policy().min()) : before;
    autoscaler.scaled(from, after);
    if (after != decision.desired() && decision.desired() != decision.current()) {
      DECISIONS.warn(
          "{} {} -> {} carried out only to {}; the cooldown counts what was done",
          spec.name(),
          decision.current(),
          decision.desired(),
          after);
    }
    return from == after ? null : new LoggedDecision.Scaled(from, after);
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
    start(observed, 1, old.id(), false, acted, problems);
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
  }

  /** The replicas that should take traffic: active and ready. */
  List<Balancer.Backend> backends(ServiceStatus status) {
    return status.replicas().stream()
        .filter(
            r -> r.active() && r.ready() && !actions.stopping(r.id()) && !drains.leaving(r.id()))
        .sorted(Comparator.comparingInt(Replica::index))
        .map(r -> new Balancer.Backend(r.name(), r.address(), spec.port()))
        .toList();
  }

  /** Called once the balancer routes exactly {@code status}'s backends: drain timers start now. */
  void balancerConfirmed(ServiceStatus status) {
    drains.confirmed(status.replicas(), clock.instant());
  }
}
