package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VictimsTest {

  private static Replica replica(int index, Replica.Readiness readiness, String template) {
    return new Replica(
        "id" + index,
        "p-web-" + index,
        "web",
        index,
        Replica.State.RUNNING,
        readiness,
        "172.18.0." + (index + 1),
        Instant.EPOCH,
        Instant.EPOCH,
        false,
        false,
        template,
        "",
        false,
        0,
        null);
  }

  private static ReplicaMetrics cpu(int index, double value) {
    return ReplicaMetrics.of("id" + index, Instant.EPOCH, Map.of(Metric.CPU, value));
  }

  @Test
  void scaleInTakesNotReadyThenOldTemplateThenLeastLoadedThenNewest() {
    List<Replica> active =
        List.of(
            replica(1, Replica.Readiness.READY, "new"),
            replica(2, Replica.Readiness.UNKNOWN, "new"),
            replica(3, Replica.Readiness.READY, "new"),
            replica(4, Replica.Readiness.READY, "new"),
            replica(5, Replica.Readiness.READY, "old"));
    Map<String, ReplicaMetrics> readings =
        Map.of("id1", cpu(1, 10), "id3", cpu(3, 50), "id4", cpu(4, 50), "id5", cpu(5, 90));
    assertThat(Drains.victims(active, 5, readings, "new"))
        .extracting(Replica::index)
        .containsExactly(2, 5, 1, 4, 3);
  }

  @Test
  void failedPassesBackOffByDoublingUpToThirtySeconds() {
    assertThat(Controller.backoff(Duration.ofSeconds(1), 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Controller.backoff(Duration.ofSeconds(1), 3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Controller.backoff(Duration.ofSeconds(1), 50)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aReplicaIsReadyOnlyWhenRunningProbedReadyAndAddressable() {
    assertThat(replica(1, Replica.Readiness.READY, "t").ready()).isTrue();
    assertThat(replica(1, Replica.Readiness.UNHEALTHY, "t").ready()).isFalse();
    assertThat(replica(1, Replica.Readiness.UNKNOWN, "t").ready()).isFalse();
  }
}
