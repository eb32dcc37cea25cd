package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a service's replicas that will not serve again and keeps its crash-loop back-off: exited
 * replicas; ones created but never started, or never passing their probe within {@code
 * health.start-period} of it first answering for this run; ones unhealthy for {@code
 * health.replace-after}. Each counts once as a failure, as does a restart in place by the runtime.
 */
final class Healer {

  private static final Logger LOG = LoggerFactory.getLogger(Healer.class);

  private final CrashLoop crashLoop = new CrashLoop();

  /** Replicas whose failure was counted, so each counts once. */
  private final Set<String> failed = new HashSet<>();

  /** The restart count last seen of each replica: a higher one is a crash the runtime healed. */
  private final Map<String, Integer> restarts = new HashMap<>();

  CrashLoop crashLoop() {
    return crashLoop;
  }

  /**
   * What should go, by replica id, with why (for users). Replicas that failed their probe are taken
   * out at most {@code health.max-replacing} at a time, counting those still being stopped, those
   * missing from {@code wanted} and those still starting: when probes fail because the host is too
   * busy to answer them, more starts would only make it busier. The others wait, out of the
   * balancer, and {@code waiting} says so. Exited replicas always go.
   *
   * @param wanted how many replicas the service should have (its last decision)
   */
  Verdict unfit(
      ServiceSpec spec,
      List<Replica> observed,
      Map<String, Prober.State> probed,
      Instant now,
      int wanted) {
    Map<String, String> unfit = new HashMap<>();
    Map<Replica, String> failingProbes = new HashMap<>();
    for (Replica r : observed) {
      if (r.draining()) {
        continue;
      }
      if (r.state() == Replica.State.EXITED) {
        unfit.put(r.id(), r.exit().describe());
      } else if (r.state() == Replica.State.CREATED
          && olderThan(r.createdAt(), spec.health().startPeriod(), now)) {
        unfit.put(r.id(), "created but never started within health.start-period");
      } else {
        String why = probeFailure(spec, r, probed.getOrDefault(r.id(), Prober.State.NONE), now);
        if (why != null) {
          failingProbes.put(r, why);
        }
      }
    }
    String waiting = takeInTurn(spec, observed, failingProbes, probed, wanted, unfit);
    count(spec, observed, unfit, now);
    return new Verdict(unfit, waiting);
  }

  /**
   * Adds to {@code unfit} the replicas failing their probe that fit in {@code health.max-replacing}
   * now, and says how many wait their turn ("" when none does).
   */
  private String takeInTurn(
      ServiceSpec spec,
      List<Replica> observed,
      Map<Replica, String> failingProbes,
      Map<String, Prober.State> probed,
      int wanted,
      Map<String, String> unfit) {
    int beingStopped = 0;
    List<Replica> candidates = new ArrayList<>();
    for (var failing : failingProbes.entrySet()) {
      if (failed.contains(failing.getKey().id())) {
        // Taken out by an earlier pass and not gone yet: it stays taken.
        unfit.put(failing.getKey().id(), failing.getValue());
        beingStopped++;
      } else {
        candidates.add(failing.getKey());
      }
    }
    int serving = (int) observed.stream().filter(Replica::active).count() - beingStopped;
    long starting =
        observed.stream()
            .filter(r -> r.active() && !failingProbes.containsKey(r))
            .filter(r -> r.state() == Replica.State.RUNNING)
            .filter(r -> r.readiness() == Replica.Readiness.UNKNOWN)
            .count();
    int limit = spec.health().maxReplacing().replicasFrom(Math.max(serving, wanted));
    long replacing = beingStopped + starting + Math.max(0, wanted - serving);
    // The longest failing first.
    candidates.sort(
        Comparator.comparing((Replica r) -> since(probed.get(r.id())))
            .thenComparing(Replica::index));
    int waitingTurn = 0;
    for (Replica r : candidates) {
      if (replacing < limit) {
        unfit.put(r.id(), failingProbes.get(r));
        replacing++;
      } else {
        waitingTurn++;
      }
    }
    if (waitingTurn == 0) {
      return "";
    }
    return waitingTurn
        + " replica(s) failing their probe wait their turn, out of the balancer: "
        + replacing
        + " starting, being stopped or missing, at most "
        + limit
        + " at once (health.max-replacing "
        + spec.health().maxReplacing()
        + ")";
  }

  /** Counts each failure once for the crash-loop back-off, and restarts in place. */
  private void count(
      ServiceSpec spec, List<Replica> observed, Map<String, String> unfit, Instant now) {
    for (Replica r : observed) {
      String why = unfit.get(r.id());
      if (why != null) {
        if (failed.add(r.id())) {
          crashLoop.failed(now, r.name() + " " + why);
          LOG.warn("{}: {} {}", spec.name(), r.name(), why);
        }
      } else if (!r.draining()) {
        Integer seen = restarts.put(r.id(), r.restarts());
        if (seen != null && r.restarts() > seen) {
          String what = r.name() + " restarted in place after it " + r.exit().describe();
          crashLoop.failed(now, what);
          LOG.warn("{}: {}", spec.name(), what);
        }
      }
    }
    if (observed.stream()
        .anyMatch(r -> r.ready() && r.startedAt().isAfter(crashLoop.lastFailureAt()))) {
      crashLoop.recovered();
    }
  }

  /** What goes, by replica id with why; and what waits to, for users (empty when nothing). */
  record Verdict(Map<String, String> unfit, String waiting) {}

  /** Why a replica's probe says it will not serve again, or null. */
  private static String probeFailure(ServiceSpec spec, Replica r, Prober.State p, Instant now) {
    var health = spec.health();
    if (r.readiness() == Replica.Readiness.UNKNOWN
        && p.waitingSince() != null
        && olderThan(p.waitingSince(), health.startPeriod(), now)) {
      return "not ready within health.start-period "
          + Durations.format(health.startPeriod())
          + " (last probe: "
          + p.detail()
          + ")";
    }
    if (r.readiness() == Replica.Readiness.UNHEALTHY
        && p.unhealthySince() != null
        && olderThan(p.unhealthySince(), health.replaceAfter(), now)) {
      return "unhealthy for health.replace-after "
          + Durations.format(health.replaceAfter())
          + " (last probe: "
          + p.detail()
          + ")";
    }
    return null;
  }

  private static Instant since(Prober.State p) {
    return p.unhealthySince() != null ? p.unhealthySince() : p.waitingSince();
  }

  private static boolean olderThan(Instant since, Duration age, Instant now) {
    return Duration.between(since, now).compareTo(age) > 0;
  }

  /** What is kept per replica goes with the replica. */
  void retain(Set<String> present) {
    failed.retainAll(present);
    restarts.keySet().retainAll(present);
  }
}
