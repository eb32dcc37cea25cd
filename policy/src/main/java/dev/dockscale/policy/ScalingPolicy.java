package dev.dockscale.policy;

import java.util.List;
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

  public int clamp(int replicas) {
    return Math.max(min, Math.min(max, replicas));
  }
}
