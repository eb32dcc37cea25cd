package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.time.Instant;
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

  /** What should go, by replica id, with why (for users). */
  Map<String, String> unfit(
      ServiceSpec spec, List<Replica> observed, Map<String, Prober.State> probed, Instant now) {
    Map<String, String> unfit = new HashMap<>();
    var health = spec.health();
    for (Replica r : observed) {
      if (r.draining()) {
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
        unfit.put(r.id(), why);
        if (failed.add(r.id())) {
          crashLoop.failed(now, r.name() + " " + why);
          LOG.warn("{}: {} {}", spec.name(), r.name(), why);
        }
      } else {
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
    return unfit;
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
