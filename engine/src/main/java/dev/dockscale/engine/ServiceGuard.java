package dev.dockscale.engine;

import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps services apart: a service whose pass throws is backed off on its own (the interval
 * doubling, up to 30 s) with the error as its problem, while the other services and the balancer go
 * on. Its status keeps its last decision, or a hold that says why there is none.
 */
final class ServiceGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceGuard.class);

  private final Clock clock;
  private final Function<Integer, Duration> backoff;
  private final Map<String, Failures> failures = new HashMap<>();

  /** {@code backoff} gives the wait after a number of failures in a row. */
  ServiceGuard(Clock clock, Function<Integer, Duration> backoff) {
    this.clock = clock;
    this.backoff = backoff;
  }

  private static final class Failures {
    int count;
    Instant nextTry = Instant.EPOCH;
    String problem = "";
    Decision lastDecision;
  }

  /** One service's pass, isolated. */
  ServiceStatus run(
      Reconciler reconciler,
      List<Replica> observed,
      Map<String, ReplicaMetrics> readings,
      Map<String, Prober.State> probed,
      boolean decide) {
    String name = reconciler.spec().name();
    Failures f = failures.computeIfAbsent(name, k -> new Failures());
    Instant now = clock.instant();
    if (now.isBefore(f.nextTry)) {
      return failed(name, observed, f, now);
    }
    MDC.put("service", name);
    try {
      ServiceStatus status = reconciler.reconcile(observed, readings, decide, probed);
      f.count = 0;
      f.lastDecision = status.decision();
      return status;
    } catch (RuntimeException e) {
      f.count++;
      Duration wait = backoff.apply(f.count);
      f.nextTry = now.plus(wait);
      f.problem =
          "failed "
              + f.count
              + (f.count == 1 ? " time" : " times")
              + " in a row, next try in "
              + Durations.format(wait)
              + ": "
              + e.getMessage();
      LOG.warn("{}: {}", name, f.problem);
      return failed(name, observed, f, now);
    } finally {
      MDC.remove("service");
    }
  }

  /** Whether the service's last pass failed (its routes then stay as they were). */
  boolean failing(String service) {
    Failures f = failures.get(service);
    return f != null && f.count > 0;
  }

  void retain(Set<String> services) {
    failures.keySet().retainAll(services);
  }

  private static ServiceStatus failed(
      String name, List<Replica> observed, Failures f, Instant now) {
    Decision decision = f.lastDecision;
    if (decision == null) {
      int active = (int) observed.stream().filter(Replica::active).count();
      int ready = (int) observed.stream().filter(r -> r.active() && r.ready()).count();
      decision =
          Decision.hold(
              now, active, ready, "no decision yet: " + f.problem, List.of(), List.of(), List.of());
    }
    return new ServiceStatus(name, observed, decision, List.of(), List.of(f.problem));
  }
}
