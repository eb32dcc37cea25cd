package dev.dockscale.config;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.RateLimit;
import dev.dockscale.policy.RateLimits;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.policy.StepStrategy;
import dev.dockscale.policy.Strategy;
import dev.dockscale.policy.TargetStrategy;
import dev.dockscale.policy.ThresholdStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's {@code replicas} and {@code scale}: the preset, one strategy per metric (threshold,
 * target tracking or steps) and the behaviour (cooldowns, windows, rate limits, warmup, forecast).
 */
final class PolicyReader {

  static final int MAX_REPLICAS = 1000;
  private static final double MAX_CHANGE_PERCENT = 1000;
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration HALF_HOUR = Duration.ofMinutes(30);

  private PolicyReader() {}

  /** The policy, or {@code null} when a problem leaves nothing to build it from. */
  static ScalingPolicy read(Node service) {
    Node replicas = service.child("replicas");
    if (replicas.missing()) {
      replicas.problem("required: how many replicas, e.g. replicas: { min: 1, max: 4 }");
      return null;
    }
    replicas.allow("min", "max", "warm");
    int min = replicas.integer("min", 1, 0, MAX_REPLICAS);
    if (min == 0) {
      replicas.child("min").problem("scale-to-zero is not supported yet; use min: 1");
      min = 1;
    }
    int max = replicas.integer("max", min, 1, MAX_REPLICAS);
    if (max < min) {
      replicas.child("max").problem("max (" + max + ") must be >= min (" + min + ")");
    }

    Node scale = service.child("scale");
    scale.allow(
        "preset",
        "cpu",
        "memory",
        "rps",
        "arrivals",
        "inflight",
        "latency",
        "cooldown",
        "window",
        "limits",
        "warmup",
        "forecast",
        "demand");
    String presetKey = scale.string("preset", Preset.DOCKSCALE.key());
    Preset preset = Preset.byKey(presetKey).orElse(null);
    if (preset == null) {
      scale
          .child("preset")
          .problem("unknown preset '" + presetKey + "': use one of " + Preset.keys());
      preset = Preset.DOCKSCALE;
    }
    List<MetricRule> rules = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      Node m = scale.child(metric.key());
      if (!m.missing()) {
        Strategy strategy = strategy(metric, m);
        if (strategy != null) {
          rules.add(new MetricRule(metric, strategy));
        }
      }
    }
    if (rules.isEmpty()) {
      rules.addAll(preset.rules());
    }
    Behavior behavior = behavior(scale, preset.behavior());
    if (max < min) {
      return null;
    }
    return new ScalingPolicy(preset.key(), min, max, rules, behavior);
  }

  private static Behavior behavior(Node scale, Behavior b) {
    Node cooldown = scale.child("cooldown");
    cooldown.allow("up", "down");
    b =
        b.withUpCooldown(cooldown.duration("up", b.upCooldown(), Duration.ZERO, HOUR))
            .withDownCooldown(cooldown.duration("down", b.downCooldown(), Duration.ZERO, HOUR));
    Node window = scale.child("window");
    window.allow("up", "down");
    b =
        b.withUpWindow(window.duration("up", b.upWindow(), Duration.ZERO, HOUR))
            .withDownWindow(window.duration("down", b.downWindow(), Duration.ZERO, HOUR));
    Node limits = scale.child("limits");
    limits.allow("up", "down", "up-select", "down-select");
    b =
        b.withUpLimits(rateLimits(limits, "up", b.upLimits()))
            .withDownLimits(rateLimits(limits, "down", b.downLimits()));
    return b.withWarmup(scale.duration("warmup", b.warmup(), Duration.ZERO, HOUR))
        .withLookahead(scale.duration("forecast", b.lookahead(), Duration.ZERO, HOUR))
        .withDemand(scale.bool("demand", b.demand()));
  }

  private static Strategy strategy(Metric metric, Node m) {
    if (metric == Metric.LATENCY) {
      return latency(m);
    }
    if (!m.isMap()) {
      m.problem(
          "write { up: 70, down: 20 } (threshold), { target: 60 } (target tracking) or { steps: [...] } (step scaling)");
      return null;
    }
    boolean threshold = m.has("up") || m.has("down");
    boolean target = m.has("target");
    boolean steps = m.has("steps");
    if ((threshold ? 1 : 0) + (target ? 1 : 0) + (steps ? 1 : 0) != 1) {
      m.problem(
          "give exactly one strategy: up/down (threshold), target (target tracking) or steps (step scaling)");
      return null;
    }
    try {
      if (threshold) {
        return threshold(metric, m);
      }
      if (target) {
        m.allow("target", "tolerance");
        double value = m.decimal("target", 60, 0.1, metric.limit(), readings(metric));
        double tolerance = m.decimal("tolerance", TargetStrategy.DEFAULT_TOLERANCE, 0, 0.99);
        return new TargetStrategy(value, tolerance);
      }
      return steps(metric, m);
    } catch (IllegalArgumentException e) {
      m.problem(e.getMessage());
      return null;
    }
  }

  private static Strategy threshold(Metric metric, Node m) {
    m.allow("up", "down", "step");
    double up = m.decimal("up", 70, 0, metric.limit(), readings(metric));
    double down = m.decimal("down", 20, 0, metric.limit(), readings(metric));
    if (down >= up) {
      m.child("down").problem("down (" + down + ") must be below up (" + up + ")");
      return null;
    }
    Change step = change(m, "step");
    return step == null ? null : new ThresholdStrategy(up, down, step);
  }

  private static Strategy steps(Metric metric, Node m) {
    m.allow("steps");
    Node list = m.child("steps");
    if (!list.isList() || list.size() == 0) {
      list.problem(
          "steps is a list, e.g. [ { above: 90, add: 2 }, { above: 70, add: 1 }, { below: 20, remove: 1 } ]");
      return null;
    }
    List<StepStrategy.Step> parsed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Node step = list.element(i);
      step.allow("above", "below", "add", "remove");
      if (step.has("add") == step.has("remove")) {
        step.problem("a step needs exactly one of add or remove");
        continue;
      }
      double from = step.decimal("above", 0, 0, metric.limit(), readings(metric));
      double to =
          step.has("below")
              ? step.decimal("below", 0, 0, metric.limit(), readings(metric))
              : Double.POSITIVE_INFINITY;
      if (!step.has("above") && !step.has("below")) {
        step.problem("a step needs above and/or below");
        continue;
      }
      if (to <= from) {
        step.problem("below (" + to + ") must be above above (" + from + ")");
        continue;
      }
      boolean add = step.has("add");
      Change change = change(step, add ? "add" : "remove");
      if (change != null) {
        parsed.add(new StepStrategy.Step(from, to, add, change));
      }
    }
    return parsed.isEmpty() ? null : new StepStrategy(parsed);
  }

  private static RateLimits rateLimits(Node limits, String direction, RateLimits fallback) {
    Node list = limits.child(direction);
    String selectKey = limits.string(direction + "-select", fallback.select().name().toLowerCase());
    RateLimits.Select select;
    if ("max".equals(selectKey)) {
      select = RateLimits.Select.MAX;
    } else if ("min".equals(selectKey)) {
      select = RateLimits.Select.MIN;
    } else {
      limits
          .child(direction + "-select")
          .problem("use max (the limit allowing the most change wins) or min");
      select = RateLimits.Select.MAX;
    }
    if (list.missing()) {
      return new RateLimits(fallback.limits(), select);
    }
    if (!list.isList()) {
      list.problem(
          "a list of limits, e.g. [ { replicas: 4, period: 15s }, { percent: 100, period: 15s } ], or [] for none");
      return fallback;
    }
    List<RateLimit> parsed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Node l = list.element(i);
      l.allow("replicas", "percent", "period");
      if (l.has("replicas") == l.has("percent")) {
        l.problem("a limit needs exactly one of replicas or percent");
        continue;
      }
      Duration period =
          l.duration("period", Duration.ofSeconds(15), Duration.ofSeconds(1), HALF_HOUR);
      if (l.has("replicas")) {
        parsed.add(RateLimit.replicas(l.integer("replicas", 1, 1, MAX_REPLICAS), period));
      } else {
        parsed.add(RateLimit.percent(l.decimal("percent", 100, 1, 10_000), period));
      }
    }
    return new RateLimits(parsed, select);
  }

  /**
   * {@code latency: { p95: 200ms }}: adds {@code step} replicas (default 1) while the replicas' p95
   * response time at the balancer is at or above the bound. Latency does not fall in proportion to
   * replicas, and a low one does not say fewer would do, so it never asks for fewer: it only scales
   * out, and lets the other rules scale in.
   */
  private static Strategy latency(Node m) {
    String shape =
        "write latency: { p95: 200ms } (scale out while the replicas' 95th percentile response"
            + " time is at or above it), optionally with step: 2 or step: 50%";
    if (!m.isMap()) {
      m.problem(shape);
      return null;
    }
    if (m.has("target") || m.has("up") || m.has("down") || m.has("steps")) {
      m.problem(
          "latency does not fall in proportion to replicas and a low one does not mean fewer would"
              + " do, so it takes no target, up/down or steps: "
              + shape);
      return null;
    }
    m.allow("p95", "step");
    if (!m.has("p95")) {
      m.problem("required: p95; " + shape);
      return null;
    }
    String given = m.child("p95").text();
    if (given != null && given.trim().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
      m.child("p95")
          .problem(
              "give the unit, e.g. p95: "
                  + given.trim()
                  + "ms (a bare number would be read as seconds)");
      return null;
    }
    Duration p95 = m.duration("p95", null, Duration.ofMillis(1), HOUR);
    Change step = change(m, "step");
    if (p95 == null || step == null) {
      return null;
    }
    return new StepStrategy(
        List.of(new StepStrategy.Step(p95.toMillis(), Double.POSITIVE_INFINITY, true, step)));
  }

  /** Why a reading of {@code metric} is bounded, for the message about a value beyond it. */
  private static String readings(Metric metric) {
    if (!metric.bounded()) {
      return metric.key()
          + " is "
          + metric.meaning()
          + "; "
          + Node.fmt(metric.limit())
          + " is far beyond what one replica can serve";
    }
    return metric.key()
        + " is "
        + metric.meaning()
        + ", so it never reads above "
        + Node.fmt(metric.full())
        + "; to give each replica more room, raise its resources instead";
  }

  /**
   * A step of replicas ({@code 2}) or a percentage ({@code 50%}), at most {@value #MAX_REPLICAS}
   * replicas or {@value #MAX_CHANGE_PERCENT} %; {@code null} after reporting a problem.
   */
  private static Change change(Node at, String key) {
    Change change = at.change(key, Change.replicas(1));
    if (change == null) {
      return null;
    }
    if (change.percent() ? change.amount() > MAX_CHANGE_PERCENT : change.amount() > MAX_REPLICAS) {
      at.child(key)
          .problem(
              "must be at most "
                  + (change.percent()
                      ? Node.fmt(MAX_CHANGE_PERCENT) + "%"
                      : MAX_REPLICAS + " replicas")
                  + ", got "
                  + change);
      return null;
    }
    return change;
  }
}
