package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Autoscaler;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScaleIn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one service, level-triggered: each {@link #reconcile} observes its replicas by label,
 * asks the decision core how many there should be, and starts or drains the difference. Running it
 * twice does no harm. What it keeps between ticks (drain timers, stops in flight) is only ever a
 * delay: after a restart the same containers are found and the same steps taken again.
 */
final class ServiceReconciler {

  private static final Logger DECISIONS = LoggerFactory.getLogger("dockscale.decisions");
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

  private final String project;
  private final String network;
  private final ServiceSpec spec;
  private final ContainerRuntime runtime;
  private final MetricsSource metrics;
  private final Autoscaler autoscaler;
  private final Clock clock;
  private final boolean dryRun;
  private final ExecutorService stopper;

  /** When each draining replica was first seen out of the balancer. */
  private final Map<String, Instant> outOfBalancerSince = new HashMap<>();

  /** Replicas being stopped right now, by id. */
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();

  ServiceReconciler(
      String project,
      String network,
      ServiceSpec spec,
      ContainerRuntime runtime,
      MetricsSource metrics,
      Clock clock,
      boolean dryRun,
      ExecutorService stopper) {
    this.project = project;
    this.network = network;
    this.spec = spec;
    this.runtime = runtime;
    this.metrics = metrics;
    this.autoscaler = new Autoscaler(spec.policy(), clock);
    this.clock = clock;
    this.dryRun = dryRun;
    this.stopper = stopper;
  }

  ServiceSpec spec() {
    return spec;
  }

  ServiceStatus reconcile() {
    List<Replica> observed = runtime.replicas(project, spec.name());
    List<String> acted = new ArrayList<>();
    List<Replica> active =
        observed.stream()
            .filter(Replica::active)
            .sorted(Comparator.comparingInt(Replica::index))
            .toList();

    List<MeasuredReplica> measured =
        active.stream()
            .map(
                r ->
                    new MeasuredReplica(
                        r.id(), spec.resources().cpus(), spec.resources().memoryBytes()))
            .toList();
    Map<String, ReplicaMetrics> readings = metrics.read(measured);
    List<ReplicaView> views =
        active.stream()
            .map(
                r ->
                    ReplicaView.of(
                        r.name(),
                        r.startedAt(),
                        r.ready(),
                        readings.containsKey(r.id()) ? readings.get(r.id()).readings() : Map.of()))
            .toList();
    Decision decision = autoscaler.decide(views);
    DECISIONS.info("{} {}", spec.name(), decision.line());

    if (dryRun) {
      return new ServiceStatus(spec.name(), observed, decision, List.of());
    }
    for (Replica gone : observed) {
      if (gone.state() == Replica.State.GONE && !gone.draining()) {
        stop(gone, "exited", acted);
      }
    }
    if (decision.desired() > active.size()) {
      Set<Integer> taken = new HashSet<>();
      observed.forEach(r -> taken.add(r.index()));
      for (int i = active.size(); i < decision.desired(); i++) {
        int index = 1;
        while (taken.contains(index)) {
          index++;
        }
        taken.add(index);
        Replica started = runtime.start(project, network, spec, index);
        acted.add("started " + started.name());
        LOG.info(
            "{}: started {} ({} -> {})",
            spec.name(),
            started.name(),
            decision.current(),
            decision.desired());
      }
    } else if (decision.desired() < active.size()) {
      for (Replica victim : victims(active, active.size() - decision.desired())) {
        runtime.markDraining(victim);
        acted.add("draining " + victim.name());
        LOG.info(
            "{}: draining {} ({} -> {}); out of the balancer now, stopped after {}",
            spec.name(),
            victim.name(),
            decision.current(),
            decision.desired(),
            dev.dockscale.policy.Durations.format(spec.drain()));
      }
    }
    Instant now = clock.instant();
    for (Replica r : observed) {
      Instant since = outOfBalancerSince.get(r.id());
      if (r.draining()
          && since != null
          && !Duration.between(since, now).minus(spec.drain()).isNegative()) {
        stop(r, "drained", acted);
      }
    }
    return new ServiceStatus(spec.name(), runtime.replicas(project, spec.name()), decision, acted);
  }

  /** The replicas that should take traffic: active and ready. */
  List<Balancer.Backend> backends(ServiceStatus status) {
    return status.replicas().stream()
        .filter(r -> r.active() && r.ready())
        .sorted(Comparator.comparingInt(Replica::index))
        .map(r -> new Balancer.Backend(r.name(), r.address(), spec.port()))
        .toList();
  }

  /** Called once the balancer routes exactly {@code status}'s backends: drain timers start now. */
  void balancerConfirmed(ServiceStatus status) {
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    for (Replica r : status.replicas()) {
      present.add(r.id());
      if (r.draining()) {
        outOfBalancerSince.putIfAbsent(r.id(), now);
      }
    }
    outOfBalancerSince.keySet().retainAll(present);
  }

  /** Scale-in takes replicas that are not ready first, then the newest. */
  static List<Replica> victims(List<Replica> active, int count) {
    return ScaleIn.victims(active, count, Replica::ready, Replica::index);
  }

  private void stop(Replica replica, String why, List<String> acted) {
    if (!stopping.add(replica.id())) {
      return;
    }
    acted.add("stopping " + replica.name() + " (" + why + ")");
    LOG.info("{}: stopping {} ({})", spec.name(), replica.name(), why);
    stopper.execute(
        () -> {
          try {
            runtime.stopAndRemove(replica, spec.stopTimeout());
          } catch (RuntimeException e) {
            LOG.warn("{}: could not stop {}: {}", spec.name(), replica.name(), e.getMessage());
          } finally {
            stopping.remove(replica.id());
          }
        });
  }
}
