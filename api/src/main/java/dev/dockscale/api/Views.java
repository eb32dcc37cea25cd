package dev.dockscale.api;

import dev.dockscale.engine.Control;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceView;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the API shows of a service: the JSON shapes of {@code /api/v1/services}. */
final class Views {

  private Views() {}

  record ServiceJson(
      String name,
      int desired,
      int min,
      int max,
      boolean paused,
      Control.Pause pause,
      Control.Override override,
      Map<String, Double> readings,
      List<ReplicaJson> replicas,
      DecisionJson lastDecision,
      List<String> problems) {}

  /** One replica: its state, and CPU and memory in % of its limits when read. */
  record ReplicaJson(String name, String state, Double cpu, Double memory) {}

  record DecisionJson(String action, String reason, Instant at, double ageSeconds) {}

  /** A per-service line of the event stream's {@code tick} event. */
  record TickJson(String name, long ready, long active, int desired, boolean paused) {}

  static ServiceJson service(ServiceView v, Instant now) {
    Decision d = v.status().decision();
    List<ReplicaJson> replicas =
        v.status().replicas().stream()
            .map(
                r -> {
                  Map<Metric, Double> m = v.readings().getOrDefault(r.id(), Map.of());
                  return new ReplicaJson(
                      r.name(), state(r), m.get(Metric.CPU), m.get(Metric.MEMORY));
                })
            .toList();
    DecisionJson last =
        d == null
            ? null
            : new DecisionJson(
                d.action().key(),
                d.reason(),
                d.at(),
                Duration.between(d.at(), now).toMillis() / 1000.0);
    return new ServiceJson(
        v.service(),
        d == null ? v.min() : d.desired(),
        v.min(),
        v.max(),
        v.control().paused(),
        v.control().pause(),
        v.control().override(),
        readings(v),
        replicas,
        last,
        v.status().problems());
  }

  static TickJson tick(ServiceView v) {
    Decision d = v.status().decision();
    return new TickJson(
        v.service(),
        v.status().ready(),
        v.status().active(),
        d == null ? v.min() : d.desired(),
        v.control().paused());
  }

  /**
   * The service's readings as its policy sees them: each metric averaged over the ready replicas
   * that have a reading of it; a metric none has is absent.
   */
  static Map<String, Double> readings(ServiceView v) {
    Map<String, Double> averages = new LinkedHashMap<>();
    for (Metric metric : Metric.values()) {
      double sum = 0;
      int n = 0;
      for (Replica r : v.status().replicas()) {
        Double value = v.readings().getOrDefault(r.id(), Map.of()).get(metric);
        if (r.active() && r.ready() && value != null) {
          sum += value;
          n++;
        }
      }
      if (n > 0) {
        averages.put(metric.key(), sum / n);
      }
    }
    return averages;
  }

  /** ready, starting, unhealthy, draining, warm or exited. */
  static String state(Replica r) {
    if (r.state() == Replica.State.EXITED) {
      return "exited";
    }
    if (r.draining()) {
      return "draining";
    }
    if (r.warm()) {
      return "warm";
    }
    if (r.ready()) {
      return "ready";
    }
    return r.readiness() == Replica.Readiness.UNHEALTHY ? "unhealthy" : "starting";
  }

  static final List<String> STATES =
      List.of("ready", "starting", "unhealthy", "draining", "warm", "exited");
}
