package dev.dockscale.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas of the project whose service is no longer in the config (removed by a reload, or by an
 * edit between two runs): taken out of the balancer, drained for {@link #DRAIN}, then stopped. On a
 * runtime that schedules replicas itself, the service is handed back to it ({@link
 * ServiceScheduler#retire}) once.
 */
final class Orphans {

  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);
  static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final ReplicaRuntime runtime;
  private final Clock clock;
  private final Map<String, Instant> drainingSince = new HashMap<>();
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();
  private final Set<String> retiredServices = new HashSet<>();

  Orphans(ReplicaRuntime runtime, Clock clock) {
    this.runtime = runtime;
    this.clock = clock;
  }

  void retire(
      String project,
      Map<String, List<Replica>> byService,
      Set<String> configured,
      Executor actions) {
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    retiredServices.retainAll(byService.keySet());
    byService.forEach(
        (service, replicas) -> {
          if (configured.contains(service)) {
            return;
          }
          if (runtime instanceof ServiceScheduler scheduler) {
            retireService(scheduler, project, service);
            return;
          }
          for (Replica r : replicas) {
            present.add(r.id());
            try {
              retire(service, r, now, actions);
            } catch (RuntimeException e) {
              // One orphan that cannot be retired now is tried again next pass; it stops nothing.
              LOG.warn("{}: could not retire {}: {}", service, r.name(), e.toString());
            }
          }
        });
    drainingSince.keySet().retainAll(present);
  }

  private void retireService(ServiceScheduler scheduler, String project, String service) {
    if (!retiredServices.add(service)) {
      return;
    }
    try {
      LOG.info("{}: retiring the service: it is no longer in the config", service);
      scheduler.retire(project, service);
    } catch (RuntimeException e) {
      retiredServices.remove(service);
      LOG.warn("{}: could not retire the service: {}", service, e.toString());
    }
  }

  private void retire(String service, Replica r, Instant now, Executor actions) {
    ContainerRuntime containers = (ContainerRuntime) runtime; // sealed: schedulers retire above
    if (!r.draining() && r.state() == Replica.State.RUNNING) {
      LOG.info("{}: draining {}: its service is no longer in the config", service, r.name());
      containers.markDraining(r);
      drainingSince.put(r.id(), now);
    } else {
      Instant since = drainingSince.computeIfAbsent(r.id(), k -> now);
      boolean drained = Duration.between(since, now).compareTo(DRAIN) >= 0;
      if ((drained || r.state() != Replica.State.RUNNING) && stopping.add(r.id())) {
        LOG.info("{}: stopping {}: its service is no longer in the config", service, r.name());
        CompletableFuture.runAsync(() -> containers.stopAndRemove(r, STOP_TIMEOUT), actions)
            .whenComplete((v, e) -> stopping.remove(r.id()));
      }
    }
  }
}
