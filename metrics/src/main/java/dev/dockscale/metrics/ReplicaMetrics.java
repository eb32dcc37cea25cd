package dev.dockscale.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One replica's latest readings. Readings are checked at this boundary: a NaN, infinite or negative
 * value is a bug in the source and is rejected here, never averaged into a decision.
 */
public record ReplicaMetrics(String replica, Instant sampledAt, Map<Metric, Double> readings) {

  public ReplicaMetrics {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(sampledAt, "sampledAt");
    Objects.requireNonNull(readings, "readings");
    EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
    readings.forEach((metric, value) -> copy.put(metric, requireReading(replica, metric, value)));
    readings = Collections.unmodifiableMap(copy);
  }

  public static ReplicaMetrics of(String replica, Instant sampledAt, Map<Metric, Double> readings) {
    return new ReplicaMetrics(
        replica, sampledAt, readings.isEmpty() ? Map.of() : new EnumMap<>(readings));
  }

  public OptionalDouble get(Metric metric) {
    Double value = readings.get(metric);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  public static double requireReading(String replica, Metric metric, Double value) {
    if (value == null || value.isNaN() || value.isInfinite() || value < 0) {
      throw new InvalidReadingException(
          "reading "
              + metric.key()
              + " of replica "
              + replica
              + " is "
              + value
              + "; a reading must be a finite number >= 0 (the metrics source is at fault)");
    }
    return value;
  }
}
