package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import java.util.Objects;

/** One metric and the strategy that turns it into a replica count. */
public record MetricRule(Metric metric, Strategy strategy) {
  public MetricRule {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(strategy, "strategy");
  }

  @Override
  public String toString() {
    return metric.key() + " " + strategy.describe();
  }
}
