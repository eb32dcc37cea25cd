package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Replicas and policies for the decision core's tests. */
final class Fixtures {
  static final Instant LONG_AGO = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  /** {@code n} ready replicas, started long ago, all at {@code cpu} %. */
  static List<ReplicaView> atCpu(int n, double cpu) {
    List<ReplicaView> replicas = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      replicas.add(ReplicaView.of("r" + i, LONG_AGO, true, Map.of(Metric.CPU, cpu)));
    }
    return replicas;
  }

  static List<ReplicaView> with(List<ReplicaView> replicas, ReplicaView... more) {
    List<ReplicaView> all = new ArrayList<>(replicas);
    all.addAll(List.of(more));
    return all;
  }

  static ScalingPolicy policy(int min, int max, Behavior behavior, MetricRule... rules) {
    return new ScalingPolicy("test", min, max, List.of(rules), behavior);
  }

  static MetricRule cpu(Strategy s) {
    return new MetricRule(Metric.CPU, s);
  }

  static MetricRule memory(Strategy s) {
    return new MetricRule(Metric.MEMORY, s);
  }

  static ThresholdStrategy threshold(double up, double down) {
    return new ThresholdStrategy(up, down, Change.replicas(1));
  }

  /** Decides and carries the decision out at once, as a runtime that never fails would. */
  static Decision carriedOut(Autoscaler a, List<ReplicaView> replicas) {
    Decision d = a.decide(replicas);
    a.scaled(d.current(), d.desired());
    return d;
  }
}
