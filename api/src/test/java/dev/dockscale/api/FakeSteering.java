package dev.dockscale.api;

import dev.dockscale.engine.Control;
import dev.dockscale.engine.DecisionLog;
import dev.dockscale.engine.LoggedDecision;
import dev.dockscale.engine.NoSuchServiceException;
import dev.dockscale.engine.Pass;
import dev.dockscale.engine.RefusedException;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.engine.ServiceView;
import dev.dockscale.engine.Steering;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One service, {@code web} (1 to 4 replicas), steered in memory: the API without a loop. */
final class FakeSteering implements Steering {

  final Clock clock;
  final DecisionLog log = new DecisionLog(100);
  final Map<String, Control> controls = new ConcurrentHashMap<>(Map.of("web", Control.NONE));
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<Consumer<Pass>> passListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<LoggedDecision>> decisionListeners = new CopyOnWriteArrayList<>();
  private volatile List<ServiceView> views = List.of();

  /** Thrown by {@link #services} when set: a failure the API did not foresee. */
  volatile RuntimeException failure;

  FakeSteering(Clock clock) {
    this.clock = clock;
  }

  static Replica replica(String name, boolean ready, Instant at) {
    return new Replica(
        name,
        name,
        "web",
        1,
        Replica.State.RUNNING,
        ready ? Replica.Readiness.READY : Replica.Readiness.UNKNOWN,
        "10.0.0.2",
        at,
        at,
        false,
        false,
        "t",
        "",
        false,
        0,
        null);
  }

  /** A deciding pass: {@code web} with these replicas, each reading {@code cpu}. */
  void pass(Decision decision, double cpu, Replica... replicas) {
    Map<String, Map<Metric, Double>> readings = new HashMap<>();
    for (Replica r : replicas) {
      readings.put(r.id(), Map.of(Metric.CPU, cpu, Metric.MEMORY, 30.0));
    }
    ServiceStatus status =
        new ServiceStatus("web", List.of(replicas), decision, List.of(), List.of());
    views = List.of(new ServiceView(status, readings, controls.get("web"), 1, 4));
    passListeners.forEach(l -> l.accept(new Pass(views, true, Duration.ofMillis(12))));
  }

  void decide(Decision d) {
    LoggedDecision logged = log.append(new LoggedDecision(0, "web", d, null, null));
    decisionListeners.forEach(l -> l.accept(logged));
  }

  @Override
  public List<ServiceView> services() {
    if (failure != null) {
      throw failure;
    }
    return views;
  }

  @Override
  public DecisionLog.Page decisions(String service, Instant since, Long before, int limit) {
    return log.query(service, since, before, limit);
  }

  @Override
  public void onPass(Consumer<Pass> listener) {
    passListeners.add(listener);
  }

  @Override
  public void onDecision(Consumer<LoggedDecision> listener) {
    decisionListeners.add(listener);
  }

  private Control change(String service, String call, java.util.function.UnaryOperator<Control> f) {
    if (!controls.containsKey(service)) {
      throw new NoSuchServiceException(service, controls.keySet());
    }
    calls.add(call);
    return controls.compute(service, (k, c) -> f.apply(c));
  }

  @Override
  public Control pause(String service, String by) {
    return change(
        service,
        "pause " + by,
        c -> new Control(new Control.Pause(clock.instant(), by), c.override()));
  }

  @Override
  public Control resume(String service, String by) {
    return change(service, "resume " + by, c -> new Control(null, c.override()));
  }

  @Override
  public Control override(String service, int replicas, Duration ttl, String by) {
    if (controls.containsKey(service) && (replicas < 1 || replicas > 4)) {
      throw new RefusedException("replicas", "replicas " + replicas + " is outside 1 to 4");
    }
    Instant now = clock.instant();
    return change(
        service,
        "override " + replicas + " " + ttl,
        c -> new Control(c.pause(), new Control.Override(replicas, now, now.plus(ttl), by)));
  }

  @Override
  public Control clearOverride(String service, String by) {
    return change(service, "clear " + by, c -> new Control(c.pause(), null));
  }

  static List<Decision.Proposal> cpuAt(double cpu, int proposed) {
    return new ArrayList<>(
        List.of(new Decision.Proposal("cpu", "threshold", cpu, 1, proposed, false, "")));
  }
}
