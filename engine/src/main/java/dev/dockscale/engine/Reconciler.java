package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reconciles one service, level-triggered: one pass at a time on the loop thread, and a pass run
 * twice does no harm. {@link ServiceReconciler} acts replica by replica on a {@link
 * ContainerRuntime}; {@link CountReconciler} sets the count of a {@link ServiceScheduler}'s
 * service.
 */
interface Reconciler {

  ServiceSpec spec();

  /** Takes a changed spec (a reload); what is in flight goes on as it was. */
  void update(ServiceSpec changed);

  /** The runtime answers again after an outage (what was backed off may start over). */
  default void runtimeRecovered() {}

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
      Map<String, Prober.State> probed);

  /** Takes back an earlier run's decision (before the first pass). */
  void recall(LoggedDecision past);

  /** The replicas that should take traffic. */
  List<Balancer.Backend> backends(ServiceStatus status);

  /** Called once the balancer routes exactly {@code status}'s backends (drain timers start). */
  default void balancerConfirmed(ServiceStatus status) {}

  /** When replicas held out of the balancer must be routed at the latest: a pass is due then. */
  default Optional<Instant> heldUntil() {
    return Optional.empty();
  }
}
