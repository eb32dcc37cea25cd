package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Named policies users can pick in config and compare in the simulator. A preset gives the metric
 * rules used when a service names none, and the behaviour for every field a service leaves out.
 */
public enum Preset {
  /** The original scripts: CPU threshold 70/20, one replica at a time, no window. */
  CLASSIC(
      List.of(new MetricRule(Metric.CPU, new ThresholdStrategy(70, 20, Change.replicas(1)))),
      new Behavior(
          Duration.ZERO,
          Duration.ZERO,
          RateLimits.none(),
          RateLimits.none(),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ZERO),
      null),

  /**
   * Kubernetes HPA's defaults: target 80 % CPU (what {@code kubectl autoscale} and the v1 API
   * default to) with tolerance 0.1, evaluated every 15 s (the simulator's interval for it), 300 s
   * scale-down window, up by max(4 replicas, 100 %) per 15 s, down by up to 100 % per 15 s, and a
   * starting pod's readings ignored for 30 s (its initial readiness delay).
   */
  HPA(
      List.of(new MetricRule(Metric.CPU, new TargetStrategy(80, 0.1))),
      new Behavior(
          Duration.ZERO,
          Duration.ofSeconds(300),
          RateLimits.of(
              RateLimits.Select.MAX,
              RateLimit.replicas(4, Duration.ofSeconds(15)),
              RateLimit.percent(100, Duration.ofSeconds(15))),
          RateLimits.of(RateLimits.Select.MAX, RateLimit.percent(100, Duration.ofSeconds(15))),
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofSeconds(30)),
      Duration.ofSeconds(15)),

  /**
   * dockscale's default: HPA's rule read with the balancer's demand, tuned by the simulator's tuner
   * on its training traces for a 1 s loop (docs/policies.md). Target tracking at 75 % CPU
   * (tolerance 0.1), evaluated every interval (1 s); while requests arrive faster than they are
   * answered, CPU is read times arrivals / answers; no scale-up limit; down by up to 100 % per 15
   * s; a scale-down window of 15 s; no warm-up; and a 5 s forecast: while the load rises step by
   * step, it scales for the load the trend reaches 5 s ahead.
   */
  DOCKSCALE(
      List.of(new MetricRule(Metric.CPU, new TargetStrategy(75, 0.1))),
      new Behavior(
          Duration.ZERO,
          Duration.ofSeconds(15),
          RateLimits.none(),
          RateLimits.of(RateLimits.Select.MAX, RateLimit.percent(100, Duration.ofSeconds(15))),
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofSeconds(5),
          true),
      null);

  private final List<MetricRule> rules;
  private final Behavior behavior;
  private final Duration interval;

  Preset(List<MetricRule> rules, Behavior behavior, Duration interval) {
    this.rules = rules;
    this.behavior = behavior;
    this.interval = interval;
  }

  /**
   * How often the preset's original evaluates (HPA's sync period is 15 s); empty when it follows
   * the config's {@code interval}. The simulator uses it to compare presets as they really run.
   */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }

  public List<MetricRule> rules() {
    return rules;
  }

  public Behavior behavior() {
    return behavior;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Preset> byKey(String key) {
    return Arrays.stream(values())
        .filter(p -> p.key().equals(key.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public static String keys() {
    return Arrays.stream(values()).map(Preset::key).collect(Collectors.joining(", "));
  }
}
