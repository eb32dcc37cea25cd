package dev.dockscale.api;

import dev.dockscale.engine.LoggedDecision;
import dev.dockscale.engine.Pass;
import dev.dockscale.engine.ServiceView;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * dockscale's Prometheus metrics, derived from the passes and decisions the loop reports: replicas
 * per state and desired, readings, decisions by action and reason, pass durations, how long an
 * action took to be carried out, and problems by kind. The engine knows nothing of it.
 */
final class PrometheusMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Map<List<String>, Value> gauges = new ConcurrentHashMap<>();

  /** Scale decisions not yet carried out, by service. */
  private final Map<String, Decision> pending = new HashMap<>();

  private final Map<String, Set<String>> lastProblems = new HashMap<>();

  /** The services of the last pass: the meters of one that is gone are removed. */
  private final Set<String> services = new HashSet<>();

  /**
   * The buckets of {@code dockscale_action_latency_seconds}: a handful of service levels (a replica
   * serving in under a second, a few, a minute, two) rather than a percentile histogram's ~70 per
   * service and action, so that a scrape stays small.
   */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(3),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120)
  };

  /** A gauge's current value; NaN when unknown. */
  private static final class Value {
    volatile double value = Double.NaN;
  }

  PrometheusMetrics(Clock clock) {
    this.clock = clock;
  }

  /** The text Prometheus scrapes. */
  String scrape() {
    return registry.scrape();
  }

  synchronized void onPass(Pass pass) {
    if (pass.deciding()) {
      Timer.builder("dockscale.tick.duration")
          .description("how long a deciding pass (a tick) took")
          .register(registry)
          .record(pass.took());
    }
    Set<String> present = new HashSet<>();
    pass.services().forEach(v -> present.add(v.service()));
    for (String gone : services) {
      if (!present.contains(gone)) {
        forget(gone);
      }
    }
    services.clear();
    services.addAll(present);
    for (ServiceView v : pass.services()) {
      String service = v.service();
      Decision d = v.status().decision();
      gauge("dockscale.replicas.desired", "the count the last decision asked for", service).value =
          d == null ? Double.NaN : d.desired();
      Map<String, Integer> byState = new HashMap<>();
      v.status().replicas().forEach(r -> byState.merge(Views.state(r), 1, Integer::sum));
      for (String state : Views.STATES) {
        gauge("dockscale.replicas", "replicas by state", service, "state", state).value =
            byState.getOrDefault(state, 0);
      }
      Map<String, Double> readings = Views.readings(v);
      for (Metric m : Metric.values()) {
        gauge(
                    "dockscale.reading",
                    "the service's reading of a metric, averaged over its ready replicas",
                    service,
                    "metric",
                    m.key())
                .value =
            readings.getOrDefault(m.key(), Double.NaN);
      }
      gauge("dockscale.paused", "1 while the service is paused", service).value =
          v.control().paused() ? 1 : 0;
      carriedOut(service, v);
      countNewProblems(service, v.status().problems());
    }
  }

  synchronized void onDecision(LoggedDecision logged) {
    Decision d = logged.decision();
    Counter.builder("dockscale.decisions")
        .description("decisions by action and by what shaped them")
        .tags("service", logged.service(), "action", d.action().key(), "reason", reasonKind(d))
        .register(registry)
        .increment();
    Decision waiting = pending.get(logged.service());
    if (d.changes()) {
      pending.put(logged.service(), d);
    } else if (waiting == null || waiting.desired() != d.desired()) {
      pending.remove(logged.service());
    }
    // else a hold at the pending target (the next tick after a scale-up, its replicas still
    // starting): the scale goes on, and so does its timer.
  }

  /** A service the config no longer has: its series go from the scrape, its state from here. */
  private void forget(String service) {
    for (Meter m : registry.getMeters()) {
      if (service.equals(m.getId().getTag("service"))) {
        registry.remove(m);
      }
    }
    gauges.keySet().removeIf(key -> key.get(1).equals(service));
    pending.remove(service);
    lastProblems.remove(service);
  }

  /**
   * A scale decision is carried out once as many replicas serve (up) or count (down) as it asked.
   */
  private void carriedOut(String service, ServiceView v) {
    Decision d = pending.get(service);
    if (d == null) {
      return;
    }
    boolean done =
        d.action() == Decision.Action.SCALE_UP
            ? v.status().ready() >= d.desired()
            : v.status().active() <= d.desired();
    if (done) {
      Timer.builder("dockscale.action.latency")
          .description("from a scale decision to its replicas serving (up) or gone (down)")
          .tags("service", service, "action", d.action().key())
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry)
          .record(Duration.between(d.at(), clock.instant()));
      pending.remove(service);
    }
  }

  /**
   * What shaped a decision: the last adjustment's stage (window, rate, cooldown, replicas, pause,
   * override), {@code metrics} when the rules decided alone, {@code no-data} without a reading.
   */
  static String reasonKind(Decision d) {
    if (!d.adjustments().isEmpty()) {
      return d.adjustments().get(d.adjustments().size() - 1).stage();
    }
    return d.proposals().stream().anyMatch(Decision.Proposal::usable) ? "metrics" : "no-data";
  }

  /** Counts each problem once when it appears, by kind. */
  private void countNewProblems(String service, List<String> problems) {
    Set<String> now = new HashSet<>(problems);
    Set<String> before = lastProblems.getOrDefault(service, Set.of());
    for (String p : now) {
      if (!before.contains(p)) {
        Counter.builder("dockscale.failures")
            .description("problems that kept a service from its desired state, by kind")
            .tags("service", service, "kind", problemKind(p))
            .register(registry)
            .increment();
      }
    }
    lastProblems.put(service, now);
  }

  /** A problem's kind, from the words the engine writes it with. */
  static String problemKind(String problem) {
    String p = problem.toLowerCase(Locale.ROOT);
    if (p.contains("crash loop")) {
      return "crash-loop";
    }
    if (p.startsWith("balancer")) {
      return "balancer";
    }
    if (p.contains("cannot be observed")) {
      return "runtime";
    }
    if (p.contains("image")) {
      return "image";
    }
    if (p.contains("start")) {
      return "start";
    }
    if (p.contains("protect")) {
      return "protected";
    }
    if (p.contains("reading") || p.contains("metric") || p.contains("log")) {
      return "metrics";
    }
    return "other";
  }

  private Value gauge(String name, String description, String service, String... tags) {
    List<String> key = new ArrayList<>(List.of(name, service));
    key.addAll(List.of(tags));
    return gauges.computeIfAbsent(
        key,
        k -> {
          Value v = new Value();
          Gauge.builder(name, v, x -> x.value)
              .description(description)
              .tags("service", service)
              .tags(tags)
              .register(registry);
          return v;
        });
  }
}
