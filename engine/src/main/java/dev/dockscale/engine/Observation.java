package dev.dockscale.engine;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at the whole project per pass: every replica with one runtime call, what the probe knows
 * of each (replicas seen for the first time are probed before the pass goes on, so adopted replicas
 * keep their place behind nginx), and every active replica's metrics with one read.
 */
final class Observation {

  private static final Logger LOG = LoggerFactory.getLogger(Observation.class);

  private final ReplicaRuntime runtime;
  private final MetricsSource metrics;
  private final Prober prober;

  Observation(ReplicaRuntime runtime, MetricsSource metrics, Prober prober) {
    this.runtime = runtime;
    this.metrics = metrics;
    this.prober = prober;
  }

  /** What one look saw: replicas by service (readiness filled in), probe states and readings. */
  record Seen(
      Map<String, List<Replica>> byService,
      Map<String, Prober.State> probed,
      Map<String, ReplicaMetrics> readings) {

    List<Replica> of(String service) {
      return byService.getOrDefault(service, List.of());
    }
  }

  /**
   * Why metrics have no reading now, as problems of the services whose rules use them: {@code "rps,
   * latency: no reading: ..."}.
   */
  Map<String, List<String>> metricProblems(Map<String, ServiceSpec> services) {
    List<MetricsSource.Trouble> troubles;
    try {
      troubles = metrics.troubles();
    } catch (RuntimeException e) {
      LOG.debug("the metrics source cannot say what it lacks: {}", e.toString());
      return Map.of();
    }
    if (troubles.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> problems = new HashMap<>();
    services.forEach(
        (name, spec) -> {
          for (MetricsSource.Trouble t : troubles) {
            List<String> used =
                spec.policy().rules().stream()
                    .map(rule -> rule.metric())
                    .filter(t.metrics()::contains)
                    .distinct()
                    .map(Metric::key)
                    .toList();
            if (!used.isEmpty()) {
              problems
                  .computeIfAbsent(name, k -> new ArrayList<>())
                  .add(String.join(", ", used) + ": no reading: " + t.why());
            }
          }
        });
    return problems;
  }

  /** Throws when the runtime cannot be observed: then nothing may be decided or done. */
  Seen look(DockscaleConfig c, Map<String, ServiceSpec> services) {
    List<Replica> all = runtime.replicas(c.project(), c.networkName());
    Map<Replica, Prober.ProbeSpec> toProbe = new HashMap<>();
    for (Replica r : all) {
      ServiceSpec owner = services.get(r.service());
      // A paused replica is probed (a hang shows as failed probes), unless the warm pool paused it.
      boolean up =
          r.state() == Replica.State.RUNNING || (r.state() == Replica.State.PAUSED && !r.warm());
      if (owner != null && up && !r.draining()) {
        toProbe.put(r, Templates.probe(owner, r));
      }
    }
    List<String> seenFirst = prober.track(toProbe);
    if (!seenFirst.isEmpty()) {
      prober.probeNow(seenFirst, longestProbeTimeout(services));
    }
    Map<String, List<Replica>> byService = new LinkedHashMap<>();
    Map<String, Prober.State> probed = new HashMap<>();
    for (Replica r : all) {
      Replica seen = r;
      if (toProbe.containsKey(r)) {
        Prober.State state = prober.state(r.id());
        probed.put(r.id(), state);
        seen = r.withReadiness(state.readiness());
      }
      byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(seen);
    }
    return new Seen(byService, probed, measure(services, byService));
  }

  private static Duration longestProbeTimeout(Map<String, ServiceSpec> services) {
    return services.values().stream()
        .map(s -> s.health().timeout())
        .max(Duration::compareTo)
        .orElse(Duration.ofSeconds(1))
        .plusMillis(200);
  }

  /** One read of every active replica's metrics; a failing source leaves them unsampled. */
  private Map<String, ReplicaMetrics> measure(
      Map<String, ServiceSpec> services, Map<String, List<Replica>> byService) {
    List<MeasuredReplica> measured = new ArrayList<>();
    services.forEach(
        (name, spec) ->
            measured.addAll(
                measured(spec, byService.getOrDefault(name, List.of()), Observation::running)));
    try {
      return metrics.read(measured);
    } catch (RuntimeException e) {
      LOG.warn("metrics could not be read this pass: {}", e.toString());
      return Map.of();
    }
  }

  /**
   * Between passes: each service's average readings over its replicas that were ready at the last
   * pass, read now (a metric none of them has is left out; a service with none, too).
   */
  Map<String, Map<Metric, Double>> readyAverages(
      List<ServiceStatus> statuses, Map<String, ServiceSpec> services) {
    List<MeasuredReplica> measured = new ArrayList<>();
    for (ServiceStatus status : statuses) {
      ServiceSpec spec = services.get(status.service());
      if (spec != null) {
        measured.addAll(measured(spec, status.replicas(), r -> r.active() && r.ready()));
      }
    }
    if (measured.isEmpty()) {
      return Map.of();
    }
    Map<String, ReplicaMetrics> readings = metrics.read(measured);
    Map<String, Map<Metric, Double>> averages = new HashMap<>();
    for (ServiceStatus status : statuses) {
      List<ReplicaMetrics> ready =
          status.replicas().stream()
              .filter(r -> r.active() && r.ready() && readings.containsKey(r.id()))
              .map(r -> readings.get(r.id()))
              .toList();
      if (ready.isEmpty() || !services.containsKey(status.service())) {
        continue;
      }
      Map<Metric, Double> average = new EnumMap<>(Metric.class);
      for (Metric metric : Metric.values()) {
        ready.stream()
            .filter(m -> m.get(metric).isPresent())
            .mapToDouble(m -> m.get(metric).getAsDouble())
            .average()
            .ifPresent(a -> average.put(metric, a));
      }
      averages.put(status.service(), average);
    }
    return averages;
  }

  private static boolean running(Replica r) {
    return r.active() && r.state() == Replica.State.RUNNING;
  }

  private static List<MeasuredReplica> measured(
      ServiceSpec spec, List<Replica> replicas, Predicate<Replica> which) {
    return replicas.stream()
        .filter(which)
        .map(
            r ->
                new MeasuredReplica(
                    r.id(),
                    spec.resources().cpus(),
                    spec.resources().memoryBytes(),
                    spec.name(),
                    r.address()))
        .toList();
  }
}
