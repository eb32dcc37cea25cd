package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CombinedMetricsSourceTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final MetricsSource.MeasuredReplica R =
      new MetricsSource.MeasuredReplica("r1", 0.5, 0, "web", "10.0.0.5");

  /** Reads {@code readings} for every replica, or throws while {@code failing}. */
  private static final class Source implements MetricsSource {
    final Map<Metric, Double> readings;
    boolean failing;
    boolean closed;

    Source(Map<Metric, Double> readings) {
      this.readings = readings;
    }

    @Override
    public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
      if (failing) {
        throw new IllegalStateException("connection refused");
      }
      return Map.of(R.id(), ReplicaMetrics.of(R.id(), T, readings));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final Source cgroups = new Source(Map.of(Metric.CPU, 40.0));
  private final Source balancer = new Source(Map.of(Metric.RPS, 12.0, Metric.LATENCY, 30.0));
  private final CombinedMetricsSource combined =
      new CombinedMetricsSource(
          List.of(
              new CombinedMetricsSource.Part("container", Set.of(Metric.CPU), cgroups),
              new CombinedMetricsSource.Part(
                  "balancer", Set.of(Metric.RPS, Metric.LATENCY), balancer)));

  @Test
  void joinsEachReplicasReadingsFromEverySource() {
    assertThat(combined.read(List.of(R)).get("r1").readings())
        .containsOnly(
            Map.entry(Metric.CPU, 40.0),
            Map.entry(Metric.RPS, 12.0),
            Map.entry(Metric.LATENCY, 30.0));
    assertThat(combined.troubles()).isEmpty();
  }

  @Test
  void aFailingSourceLeavesOnlyItsOwnMetricsWithoutAReadingAndSaysSo() {
    balancer.failing = true;
    assertThat(combined.read(List.of(R)).get("r1").readings()).containsOnlyKeys(Metric.CPU);
    assertThat(combined.troubles())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.metrics()).containsExactlyInAnyOrder(Metric.RPS, Metric.LATENCY);
              assertThat(t.why()).contains("balancer").contains("connection refused");
            });
    balancer.failing = false;
    assertThat(combined.read(List.of(R)).get("r1").readings()).containsKey(Metric.RPS);
    assertThat(combined.troubles()).isEmpty();
    combined.close();
    assertThat(cgroups.closed && balancer.closed).isTrue();
  }
}
