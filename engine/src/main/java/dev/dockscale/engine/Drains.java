package dev.dockscale.engine;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Durations;
import dev.dockscale.policy.ScaleIn;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's way out: scale-in victims are renamed {@code -draining} (so a restart still knows),
 * leave the balancer at once, and are stopped {@code drain} after the balancer confirmed a config
 * without them.
 */
final class Drains {

  private static final Logger LOG = LoggerFactory.getLogger(Drains.class);

  private final ContainerRuntime runtime;

  /** Taken out of rotation by this pass or an earlier one, until an observation shows it. */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();

  /** When each draining replica was first known out of the balancer. */
  private final Map<String, Instant> outOfBalancerSince = new HashMap<>();

  Drains(ContainerRuntime runtime) {
    this.runtime = runtime;
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

  /** Takes one replica out of rotation; false when the runtime could not. */
  boolean drain(Replica victim, String why, Duration drain, List<String> acted) {
    try {
      runtime.markDraining(victim);
      leaving.add(victim.id());
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: could not take {} out of rotation: {}",
          victim.service(),
          victim.name(),
          e.toString());
      return false;
    }
    acted.add("draining " + victim.name() + " (" + why + ")");
    LOG.info(
        "{}: draining {} ({}); out of the balancer now, stopped after {}",
        victim.service(),
        victim.name(),
        why,
        Durations.format(drain));
    return true;
  }

  boolean leaving(String id) {
    return leaving.contains(id);
  }

  /** The draining replicas whose drain time has passed since they left the balancer. */
  List<Replica> drained(List<Replica> observed, Duration drain, Instant now) {
    return observed.stream()
        .filter(
            r -> {
              Instant since = outOfBalancerSince.get(r.id());
              return r.draining()
                  && since != null
                  && !Duration.between(since, now).minus(drain).isNegative();
            })
        .toList();
  }

  /** The balancer routes none of the draining replicas now: their drain timers start. */
  void confirmed(List<Replica> replicas, Instant now) {
    for (Replica r : replicas) {
      if (r.draining() || leaving.contains(r.id())) {
        outOfBalancerSince.putIfAbsent(r.id(), now);
      }
      if (r.draining()) {
        leaving.remove(r.id());
      }
    }
  }

  void retain(Set<String> present) {
    leaving.retainAll(present);
    outOfBalancerSince.keySet().retainAll(present);
  }
}
