package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the decision core sees of one replica that counts toward the service (draining replicas do
 * not): when it started, whether it is ready, and its latest readings (possibly none yet).
 */
public record ReplicaView(
    String id, Instant startedAt, boolean ready, Map<Metric, Double> readings) {

  public ReplicaView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(startedAt, "startedAt");
    EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
    readings.forEach(
        (metric, value) -> copy.put(metric, ReplicaMetrics.requireReading(id, metric, value)));
    readings = Collections.unmodifiableMap(copy);
  }

  public static ReplicaView of(
      String id, Instant startedAt, boolean ready, Map<Metric, Double> readings) {
    return new ReplicaView(id, startedAt, ready, readings);
  }
}
