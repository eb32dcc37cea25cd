package dev.dockscale.engine;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop. Every {@code interval} a tick observes all replicas of the project at once,
 * probes and measures them, lets each service decide and act, then makes the balancer route exactly
 * the ready replicas. Runtime events (a container died, was paused or removed) and probe changes (a
 * replica became ready or unhealthy) run a pass at once that repairs without deciding; the tick is
 * the safety net. One pass runs at a time.
 *
 * <p>Services are isolated: one that fails is retried after its own back-off while the others and
 * the balancer go on. A pass that cannot observe (the engine does not answer) acts on nothing and
 * is retried after a back-off.
 */
public final class Controller implements Steering, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** How often metrics are read between ticks, to decide at once when a rule asks for more. */
  static final Duration SAMPLE = Duration.ofMillis(250);

  /** How long after an event a second pass looks again, for state the engine updates late. */
  static final Duration SETTLE = Duration.ofMillis(250);

  private volatile DockscaleConfig config;
  private final ReplicaRuntime runtime;
  private final Balancer balancer;
  private final Clock clock;
  private final boolean dryRun;
  private final Prober prober;
  private final Orphans orphans;
  private final Observation observation;
  private volatile Instant lastTick = Instant.EPOCH;
  private final ServiceGuard guard;
  private final Map<String, Reconciler> reconcilers = new LinkedHashMap<>();
  private final Map<String, Balancer.Route> lastRoutes = new HashMap<>();
  private volatile List<ServiceStatus> lastStatuses = List.of();
  private final List<Consumer<List<ServiceStatus>>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Pass>> passListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<LoggedDecision>> decisionListeners = new CopyOnWriteArrayList<>();
  private final DecisionLog decisionLog = new DecisionLog(DecisionLog.DEFAULT_CAPACITY);
  private final Controls controls;
  private volatile List<ServiceView> lastViews = List.of();
  private Map<String, ReplicaMetrics> lastReadings = Map.of();
  private final ScheduledExecutorService loop;
  private final ScheduledExecutorService probes;
  private final ExecutorService actions;
  private final AtomicBoolean passPending = new AtomicBoolean();
  private volatile AutoCloseable watch;
  private int passFailures;
  private volatile boolean closed;
  private volatile boolean started;
  private volatile boolean samplingBetweenTicks = true;

  public Controller(
      DockscaleConfig config,
      ReplicaRuntime runtime,
      MetricsSource metrics,
      Balancer balancer,
      ReadinessProbe probe,
      Clock clock,
      boolean dryRun) {
    this(config, runtime, metrics, balancer, probe, clock, dryRun, null);
  }

  /**
   * With {@code actions} given, starts and stops run on it (tests pass a direct executor, the burst
   * benchmark a single thread for its sequential baseline).
   */
  public Controller(
      DockscaleConfig config,
      ReplicaRuntime runtime,
      MetricsSource metrics,
      Balancer balancer,
      ReadinessProbe probe,
      Clock clock,
      boolean dryRun,
      ExecutorService actions) {
    this.config = config;
    this.runtime = runtime;
    this.balancer = balancer;
    this.clock = clock;
    this.dryRun = dryRun;
    this.prober = new Prober(probe, clock, this::requestPass);
    this.loop = scheduler("dockscale-loop");
    this.probes = scheduler("dockscale-probe");
    this.actions =
        actions != null ? actions : Executors.newCachedThreadPool(r -> daemon(r, "dockscale-act"));
    this.orphans = new Orphans(runtime, clock);
    this.observation = new Observation(runtime, metrics, prober);
    this.guard = new ServiceGuard(clock, n -> backoff(this.config.interval(), n));
    this.controls = new Controls(clock, () -> this.config.services());
    for (ServiceSpec spec : config.services().values()) {
      reconcilers.put(spec.name(), reconciler(spec));
    }
  }

  /**
   * Replica by replica on a runtime dockscale starts containers on; by count on one that schedules
   * them itself.
   */
  private Reconciler reconciler(ServiceSpec spec) {
    if (runtime instanceof ServiceScheduler scheduler) {
      return new CountReconciler(
          config.project(),
          config.networkName(),
          spec,
          scheduler,
          clock,
          dryRun,
          controls,
          this::logDecision);
    }
    ContainerRuntime containers = (ContainerRuntime) runtime; // sealed: the only other kind
    return new ServiceReconciler(
        config.project(),
        config.networkName(),
        spec,
        containers,
        clock,
        dryRun,
        actions,
        controls,
        this::logDecision);
  }

  /** One thread; on close, what was scheduled for later is dropped rather than waited for. */
  private static ScheduledExecutorService scheduler(String name) {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name));
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return s;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Called after every pass with each service's status. */
  public void onTick(Consumer<List<ServiceStatus>> listener) {
    listeners.add(listener);
  }

  @Override
  public void onPass(Consumer<Pass> listener) {
    passListeners.add(listener);
  }

  @Override
  public void onDecision(Consumer<LoggedDecision> listener) {
    decisionListeners.add(listener);
  }

  /**
   * Every service of the running config: as the last pass saw it, with its controls as they are now
   * (a pause shows at once, not at the next pass); a service no pass has seen yet, with no replicas
   * and no decision.
   */
  @Override
  public List<ServiceView> services() {
    Map<String, ServiceView> seen = new HashMap<>();
    lastViews.forEach(v -> seen.put(v.service(), v));
    List<ServiceView> views = new ArrayList<>();
    for (ServiceSpec spec : config.services().values()) {
      ServiceView v = seen.get(spec.name());
      ServiceStatus status =
          v != null
              ? v.status()
              : new ServiceStatus(spec.name(), List.of(), null, List.of(), List.of());
      views.add(
          new ServiceView(
              status,
              v != null ? v.readings() : Map.of(),
              controls.current(spec.name()),
              spec.policy().min(),
              spec.policy().max()));
    }
    return List.copyOf(views);
  }

  @Override
  public DecisionLog.Page decisions(String service, Instant since, Long before, int limit) {
    return decisionLog.query(service, since, before, limit);
  }

  @Override
  public Control pause(String service, String by) {
    return changed(controls.pause(service, by));
  }

  /**
   * A control changed: a repairing pass reports it at once (the metrics, the events) rather than at
   * the next tick, which may be a long interval away.
   */
  private Control changed(Control c) {
    requestPass();
    return c;
  }

  @Override
  public Control resume(String service, String by) {
    return changed(controls.resume(service, by));
  }

  @Override
  public Control override(String service, int replicas, Duration ttl, String by) {
    return changed(controls.override(service, replicas, ttl, by));
  }

  @Override
  public Control clearOverride(String service, String by) {
    return changed(controls.clearOverride(service, by));
  }

  /**
   * Takes back an earlier run's pauses and overrides ({@link ControlsFile}), before {@link #start};
   * see {@link Controls#restore} for what is dropped.
   */
  public void restoreControls(Map<String, Control> saved) {
    if (started) {
      throw new IllegalStateException("restoreControls() is for before start()");
    }
    controls.restore(saved);
  }

  /** Called with every service's controls after each change: to keep them across a restart. */
  public void onControlsChanged(Consumer<Map<String, Control>> listener) {
    controls.onChange(listener);
  }

  /**
   * Takes back an earlier run's decisions (the journal's, oldest first), before {@link #start}: the
   * decision log shows them, and each service's windows and cooldowns continue where they were.
   */
  public void remember(List<LoggedDecision> past) {
    if (started) {
      throw new IllegalStateException("remember() is for before start()");
    }
    for (LoggedDecision d : past) {
      decisionLog.restore(d);
      Reconciler r = reconcilers.get(d.service());
      if (r != null) {
        r.recall(d);
      }
    }
  }

  /** Called by the reconcilers on the loop thread with each decision of a deciding pass. */
  private void logDecision(LoggedDecision d) {
    LoggedDecision logged = decisionLog.append(d);
    for (Consumer<LoggedDecision> listener : decisionListeners) {
      try {
        listener.accept(logged);
      } catch (RuntimeException e) {
        LOG.warn("decision listener failed: {}", e.toString());
      }
    }
  }

  /**
   * Whether metrics are read between ticks to decide at once when a rule asks for more (on by
   * default). Off, a service is decided on at its ticks only, as a loop with a slow metrics
   * pipeline (Kubernetes' HPA: every 15 s) would; the policy benchmark turns it off to emulate
   * that. Repairing passes on events and readiness changes still run.
   */
  public void samplingBetweenTicks(boolean on) {
    samplingBetweenTicks = on;
  }

  public void start() {
    started = true;
    try {
      watch =
          runtime.watch(
              config.project(),
              event -> {
                LOG.debug("event: {} {}", event.name(), event.action());
                balancer.lookAgain();
                if (ReplicaRuntime.RECONNECTED.equals(event.action())) {
                  // The runtime was away: failures meanwhile say nothing of the services' images.
                  loop.execute(() -> reconcilers.values().forEach(Reconciler::runtimeRecovered));
                }
                requestPass();
                // The engine reports a death a moment before its state says so: look again.
                loop.schedule(this::requestPass, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
              });
    } catch (RuntimeException e) {
      LOG.warn("cannot watch the runtime's events ({}); the tick alone will notice", e.toString());
    }
    probes.scheduleWithFixedDelay(
        this::pollProbesQuietly, 0, Prober.EAGER.toMillis(), TimeUnit.MILLISECONDS);
    loop.execute(this::tickAndReschedule);
    loop.scheduleWithFixedDelay(
        this::sampleBetweenTicks, SAMPLE.toMillis(), SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollProbesQuietly() {
    try {
      prober.poll();
    } catch (RuntimeException e) {
      LOG.warn("probing failed: {}", e.toString());
    }
  }

  /**
   * Between ticks, reads the ready replicas' metrics (cheap from the cgroup tree) and decides at
   * once when a service's rules would ask for more: a load step is acted on within about {@link
   * #SAMPLE} rather than at the next tick. Runs on the loop thread, so never beside a pass.
   */
  private void sampleBetweenTicks() {
    if (closed
        || Duration.between(lastTick, clock.instant()).compareTo(SAMPLE.multipliedBy(2)) < 0) {
      return;
    }
    try {
      if (decidesBetweenTicks()) {
        lastTick = clock.instant();
        runPass(true);
      }
    } catch (RuntimeException e) {
      LOG.debug("sampling between ticks failed: {}", e.toString());
    }
  }

  /** Whether a pass should decide now, between ticks: sampling is on and a service wants more. */
  boolean decidesBetweenTicks() {
    return samplingBetweenTicks && anyServiceWantsMore();
  }

  /** Whether, at the metrics read now, any service's rules ask for more than it has. */
  boolean anyServiceWantsMore() {
    Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    reconcilers.values().forEach(r -> specs.put(r.spec().name(), r.spec()));
    Map<String, Map<Metric, Double>> averages = observation.readyAverages(lastStatuses, specs);
    for (ServiceStatus status : lastStatuses) {
      Map<Metric, Double> average = averages.get(status.service());
      if (average == null) {
        continue;
      }
      // Pressure the last decision already saw (held by a cooldown or window) waits for the tick.
      boolean known =
          status.decision() != null
              && (status.decision().desired() > status.decision().current()
                  || !status.decision().adjustments().isEmpty());
      if (!known
          && specs.get(status.service()).policy().wantsMore(average, (int) status.active())) {
        LOG.debug("{}: {} between ticks: deciding now", status.service(), average);
        return true;
      }
    }
    return false;
  }

  /** Runs a repairing pass as soon as the loop is free (at most one waits). */
  public void requestPass() {
    if (started && !closed && passPending.compareAndSet(false, true)) {
      loop.execute(
          () -> {
            passPending.set(false);
            runPass(false);
          });
    }
  }

  /**
   * Takes a new config: services added, removed (their replicas drained) or changed (replicas of
   * another image, environment or limits rolled one at a time) while the rest keep running. A
   * change of project or balancer needs a restart and is refused.
   */
  public void reload(DockscaleConfig next) {
    loop.execute(() -> applyConfig(next));
  }

  void applyConfig(DockscaleConfig next) {
    DockscaleConfig current = config;
    if (!next.project().equals(current.project())
        || !next.balancer().equals(current.balancer())
        || next.runtime() != current.runtime()) {
      LOG.error(
          "config reload refused: project, balancer and runtime cannot change while running (restart dockscale for that); the running config stays");
      return;
    }
    if (!Objects.equals(next.api(), current.api())
        || !next.stateDir().equals(current.stateDir())
        || !next.metrics().equals(current.metrics())) {
      LOG.warn(
          "api, state and metrics take effect at the next start of dockscale; the running ones stay until then");
    }
    Map<String, Reconciler> kept = new LinkedHashMap<>();
    for (ServiceSpec spec : next.services().values()) {
      Reconciler existing = reconcilers.get(spec.name());
      if (existing != null) {
        existing.update(spec);
        kept.put(spec.name(), existing);
      } else {
        kept.put(spec.name(), reconciler(spec));
      }
    }
    reconcilers.clear();
    reconcilers.putAll(kept);
    guard.retain(kept.keySet());
    controls.reconfigure(() -> config = next, kept.keySet());
    LOG.info("config reloaded: services {}", String.join(", ", next.services().keySet()));
    runPass(false);
  }

  /** The scheduled tick; touched on the loop thread only. */
  private ScheduledFuture<?> nextTick;

  private void tickAndReschedule() {
    if (closed) {
      return;
    }
    boolean ok = false;
    try {
      lastTick = clock.instant();
      ok = runPass(true);
    } finally {
      scheduleTick(ok ? config.interval() : backoff(config.interval(), passFailures));
    }
  }

  /** The next tick, {@code delay} from now (on the loop thread). */
  private void scheduleTick(Duration delay) {
    if (!closed) {
      nextTick = loop.schedule(this::tickAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private boolean runPass(boolean decide) {
    if (closed) {
      return true;
    }
    Instant started = clock.instant();
    try {
      pass(decide);
      if (passFailures > 0) {
        LOG.info("passes succeed again after {} failed", passFailures);
        ScheduledFuture<?> backedOff = nextTick;
        if (!decide && backedOff != null && backedOff.cancel(false)) {
          // A repairing pass found the runtime back: ticks resume their cadence, not the back-off.
          scheduleTick(config.interval());
        }
      }
      passFailures = 0;
      return true;
    } catch (RuntimeException e) {
      passFailures++;
      String problem =
          "the runtime cannot be observed ("
              + e.getMessage()
              + "): no decision is made and nothing started or stopped until it can; next try in "
              + Durations.format(backoff(config.interval(), passFailures));
      LOG.warn("pass failed ({} in a row): {}", passFailures, problem);
      // What was last seen, with why nothing more is known; this pass did nothing.
      notifyListeners(
          Duration.between(started, clock.instant()),
          decide,
          lastStatuses.stream()
              .map(
                  st ->
                      new ServiceStatus(
                          st.service(), st.replicas(), st.decision(), List.of(), List.of(problem)))
              .toList());
      return false;
    }
  }

  /** After {@code failures} failed passes in a row: the interval doubled for each, up to 30 s. */
  static Duration backoff(Duration interval, int failures) {
    Duration first = interval.multipliedBy(2);
    return new Backoff(first.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : first, MAX_BACKOFF)
        .delay(failures);
  }

  /** One deciding pass over every service, then the balancer. For tests and one-shot use. */
  public List<ServiceStatus> tick() {
    return pass(true);
  }

  /** Starts the probes that are due now (the probe thread does this every 100 ms). For tests. */
  void pollProbes() {
    prober.poll();
  }

  /** One repairing pass (what an event runs). For tests. */
  List<ServiceStatus> repair() {
    return pass(false);
  }

  private List<ServiceStatus> pass(boolean decide) {
    Instant started = clock.instant();
    DockscaleConfig c = config;
    List<String> balancerProblems = new ArrayList<>();
    if (!dryRun) {
      runtime.ensureNetwork(c.project(), c.networkName());
      try {
        balancer.ensureRunning();
      } catch (RuntimeException e) {
        balancerProblems.add("balancer: " + e.getMessage());
        LOG.warn("balancer: {}", e.getMessage());
      }
    }
    Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    reconcilers.values().forEach(r -> specs.put(r.spec().name(), r.spec()));
    Observation.Seen seen = observation.look(c, specs);

    Map<String, List<String>> metricProblems = observation.metricProblems(specs);
    String hostWide = prober.hostWide();
    List<ServiceStatus> statuses = new ArrayList<>();
    List<Balancer.Route> routes = new ArrayList<>();
    for (Reconciler reconciler : reconcilers.values()) {
      ServiceSpec spec = reconciler.spec();
      ServiceStatus status =
          guard.run(reconciler, seen.of(spec.name()), seen.readings(), seen.probed(), decide);
      status = withProblems(status, metricProblems.getOrDefault(spec.name(), List.of()));
      statuses.add(
          withProblems(withProblems(status, balancerProblems), timeouts(status, hostWide)));
      // A service whose pass failed keeps the routes it had.
      if (!guard.failing(spec.name())) {
        lastRoutes.put(
            spec.name(), new Balancer.Route(spec.name(), spec.path(), reconciler.backends(status)));
      }
      Balancer.Route route = lastRoutes.get(spec.name());
      if (route != null) {
        routes.add(route);
      }
    }
    lastRoutes.keySet().retainAll(reconcilers.keySet());
    if (!dryRun) {
      orphans.retire(c.project(), seen.byService(), reconcilers.keySet(), actions);
      applyBalancer(routes, statuses, balancerProblems.isEmpty());
    }
    wakeForHeldReplicas();
    lastStatuses = List.copyOf(statuses);
    lastReadings = seen.readings();
    notifyListeners(Duration.between(started, clock.instant()), decide, statuses);
    return statuses;
  }

  /** When the pass is due that routes replicas held for their batch (loop thread only). */
  private Instant wakeAt;

  private void wakeForHeldReplicas() {
    Instant earliest =
        reconcilers.values().stream()
            .map(Reconciler::heldUntil)
            .flatMap(Optional::stream)
            .min(Instant::compareTo)
            .orElse(null);
    if (earliest == null || earliest.equals(wakeAt) || !started || closed) {
      return;
    }
    wakeAt = earliest;
    // Rounded up: a pass a fraction of a millisecond early would still hold them.
    long delay = Math.max(0, Duration.between(clock.instant(), earliest).toMillis() + 1);
    loop.schedule(this::requestPass, delay, TimeUnit.MILLISECONDS);
  }

  private void notifyListeners(Duration took, boolean decide, List<ServiceStatus> statuses) {
    for (Consumer<List<ServiceStatus>> listener : listeners) {
      try {
        listener.accept(statuses);
      } catch (RuntimeException e) {
        LOG.warn("tick listener failed: {}", e.toString());
      }
    }
    List<ServiceView> views = views(statuses);
    lastViews = views;
    Pass pass = new Pass(views, decide, took);
    for (Consumer<Pass> listener : passListeners) {
      try {
        listener.accept(pass);
      } catch (RuntimeException e) {
        LOG.warn("pass listener failed: {}", e.toString());
      }
    }
  }

  private List<ServiceView> views(List<ServiceStatus> statuses) {
    Map<String, ServiceSpec> specs = config.services();
    List<ServiceView> views = new ArrayList<>();
    for (ServiceStatus s : statuses) {
      ServiceSpec spec = specs.get(s.service());
      if (spec == null) {
        continue;
      }
      Map<String, Map<Metric, Double>> readings = new HashMap<>();
      for (Replica r : s.replicas()) {
        ReplicaMetrics m = lastReadings.get(r.id());
        if (m != null && !m.readings().isEmpty()) {
          readings.put(r.id(), m.readings());
        }
      }
      views.add(
          new ServiceView(
              s,
              readings,
              controls.current(s.service()),
              spec.policy().min(),
              spec.policy().max()));
    }
    return List.copyOf(views);
  }

  /** The service's replicas whose probe timeouts are not counted now, said for users. */
  private List<String> timeouts(ServiceStatus status, String hostWide) {
    if (hostWide.isEmpty()) {
      return List.of();
    }
    List<String> names =
        status.replicas().stream()
            .filter(r -> prober.timingOut(r.id()))
            .map(Replica::name)
            .toList();
    return names.isEmpty()
        ? List.of()
        : List.of("probe timeouts of " + String.join(", ", names) + " not counted: " + hostWide);
  }

  private static ServiceStatus withProblems(ServiceStatus s, List<String> more) {
    if (more.isEmpty()) {
      return s;
    }
    List<String> problems = new ArrayList<>(s.problems());
    problems.addAll(more);
    return new ServiceStatus(s.service(), s.replicas(), s.decision(), s.acted(), problems);
  }

  private void applyBalancer(
      List<Balancer.Route> routes, List<ServiceStatus> statuses, boolean balancerUp) {
    if (!balancerUp) {
      return;
    }
    Balancer.Outcome outcome;
    try {
      outcome = balancer.apply(routes);
    } catch (RuntimeException e) {
      LOG.warn("balancer not updated this pass (tried again next pass): {}", e.getMessage());
      return;
    }
    if (outcome != Balancer.Outcome.REJECTED) {
      for (ServiceStatus s : statuses) {
        Reconciler r = reconcilers.get(s.service());
        if (r != null) {
          r.balancerConfirmed(s);
        }
      }
    }
  }

  /** Stops the loop; the replicas and the balancer keep serving. */
  @Override
  public void close() {
    closed = true;
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.debug("closing the event watch: {}", e.toString());
      }
    }
    probes.shutdownNow();
    loop.shutdown();
    try {
      loop.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    actions.shutdown();
    try {
      actions.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
