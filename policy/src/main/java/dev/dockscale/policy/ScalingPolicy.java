package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Everything the decision core needs to know about one service. */
public record ScalingPolicy(
    String name, int min, int max, List<MetricRule> rules, Behavior behavior) {

  public ScalingPolicy {
    Objects.requireNonNull(name, "name");
    if (min < 0) {
      throw new IllegalArgumentException("replicas.min must be >= 0, got " + min);
    }
    if (max < 1 || max < min) {
      throw new IllegalArgumentException(
          "replicas.max must be >= 1 and >= min (" + min + "), got " + max);
    }
    rules = List.copyOf(rules);
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("a policy needs at least one metric rule");
    }
    Objects.requireNonNull(behavior, "behavior");
  }

  /** A preset's rules and behaviour between {@code min} and {@code max}. */
  public static ScalingPolicy of(Preset preset, int min, int max) {
    return new ScalingPolicy(preset.key(), min, max, preset.rules(), preset.behavior());
  }

  /**
   * Whether any rule would ask for more than {@code replicas} at these average utilisations (by
   * metric, over those replicas), below {@code max}: the engine samples between ticks and decides
   * at once when this turns true, rather than at the next tick. A quick, pure look; the decision
   * itself still goes through every window, limit and cooldown.
   */
  public boolean wantsMore(Map<Metric, Double> utilization, int replicas) {
    if (replicas < 1 || replicas >= max) {
      return false;
    }
    for (MetricRule rule : rules) {
      Double u = utilization.get(rule.metric());
      if (u != null
          && rule.strategy().opines(u)
          && rule.strategy().propose(u, replicas, replicas) > replicas) {
        return true;
      }
    }
    return false;
  }

  public int clamp(int replicas) {
    return Math.max(min, Math.min(max, replicas));
  }
}
