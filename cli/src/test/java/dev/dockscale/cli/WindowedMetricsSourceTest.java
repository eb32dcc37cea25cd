package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowedMetricsSourceTest {

  private Instant now = Instant.parse("2026-11-26T10:00:00Z");
  private double cpu;

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final MetricsSource fast =
      new MetricsSource() {
        @Override
        public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
          return Map.of("r1", ReplicaMetrics.of("r1", now, Map.of(Metric.CPU, cpu)));
        }

        @Override
        public void close() {}
      };

  private static final List<MetricsSource.MeasuredReplica> R1 =
      List.of(new MetricsSource.MeasuredReplica("r1", 0.5, 256L << 20));

  @Test
  void readingsChangeOnlyAtAWindowsEndToTheWindowsAverage() {
    // sampled by hand: the source's own schedule (an hour) never comes in this test
    try (WindowedMetricsSource slow =
        new WindowedMetricsSource(fast, Duration.ofSeconds(15), Duration.ofHours(1), clock)) {
      assertThat(slow.read(R1)).isEmpty();
      for (double value : new double[] {10, 20, 90}) {
        cpu = value;
        now = now.plusSeconds(5);
        slow.sample();
      }
      assertThat(slow.read(R1).get("r1").get(Metric.CPU).getAsDouble()).isEqualTo(40.0);

      cpu = 100;
      now = now.plusSeconds(5);
      slow.sample();
      assertThat(slow.read(R1).get("r1").get(Metric.CPU).getAsDouble())
          .as("the window in progress is not seen")
          .isEqualTo(40.0);
    }
  }

  @Test
  void samplesNothingBeforeAReadNamesTheReplicas() {
    try (WindowedMetricsSource slow =
        new WindowedMetricsSource(fast, Duration.ofSeconds(15), Duration.ofHours(1), clock)) {
      cpu = 50;
      now = now.plusSeconds(15);
      slow.sample();
      assertThat(slow.read(R1)).isEmpty();
    }
  }
}
