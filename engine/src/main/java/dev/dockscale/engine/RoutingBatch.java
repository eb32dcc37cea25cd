package dev.dockscale.engine;

import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Replicas started together are put behind the balancer together: those ready are held back while
 * others of their batch are still starting, for at most {@code batch-wait} from the first of them
 * being ready. A burst so costs nginx one reload, not one per replica turning ready. What is kept
 * here is only ever a delay: after a restart the replicas are routed as they are found ready.
 */
final class RoutingBatch {

  private final Set<String> members = new HashSet<>();

  /** Members observed at least once: one never seen yet is still starting. By id, as members. */
  private final Set<String> seen = new HashSet<>();

  private Instant firstReady;
  private Duration wait = Duration.ZERO;

  /** Replicas started together by one pass, by id (a single one is no batch). */
  void started(List<String> ids, Duration wait) {
    if (ids.size() < 2 || wait.isZero()) {
      return;
    }
    members.addAll(ids);
    this.wait = wait;
  }

  /**
   * The ready members to keep out of the balancer now, by id, with why (for users) in {@code
   * acted}; empty once every member still starting is ready, or gone, or the wait is over.
   *
   * @param routable whether a replica would be routed were it not for the batch
   */
  Set<String> held(
      List<Replica> observed, Predicate<Replica> routable, Instant now, List<String> acted) {
    if (members.isEmpty()) {
      return Set.of();
    }
    List<Replica> batch = observed.stream().filter(r -> members.contains(r.id())).toList();
    batch.forEach(r -> seen.add(r.id()));
    List<Replica> ready = batch.stream().filter(routable).toList();
    long starting =
        members.size()
            - seen.size()
            + batch.stream()
                .filter(
                    r -> r.state() == Replica.State.RUNNING || r.state() == Replica.State.CREATED)
                .filter(r -> r.readiness() == Replica.Readiness.UNKNOWN && !r.draining())
                .count();
    if (!ready.isEmpty() && firstReady == null) {
      firstReady = now;
    }
    if (starting == 0 || (firstReady != null && !now.isBefore(firstReady.plus(wait)))) {
      clear();
      return Set.of();
    }
    if (ready.isEmpty()) {
      return Set.of();
    }
    acted.add(
        "holding "
            + ready.size()
            + " ready replica(s) out of the balancer until the "
            + starting
            + " started with them are ready too (one reload; at most batch-wait "
            + Durations.format(wait)
            + ")");
    Set<String> held = new HashSet<>();
    ready.forEach(r -> held.add(r.id()));
    return held;
  }

  /** When the hold ends at the latest, so that a pass routes them then. */
  Optional<Instant> heldUntil() {
    return members.isEmpty() || firstReady == null
        ? Optional.empty()
        : Optional.of(firstReady.plus(wait));
  }

  private void clear() {
    members.clear();
    seen.clear();
    firstReady = null;
  }
}
