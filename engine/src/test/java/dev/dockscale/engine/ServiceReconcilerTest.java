package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceReconcilerTest {

  private static Replica replica(int index, Replica.State state) {
    return new Replica(
        "id" + index,
        "p-web-" + index,
        index,
        state,
        "172.18.0." + (index + 1),
        Instant.EPOCH,
        false);
  }

  @Test
  void scaleInTakesReplicasThatAreNotReadyFirstThenTheNewest() {
    List<Replica> active =
        List.of(
            replica(1, Replica.State.READY),
            replica(2, Replica.State.STARTING),
            replica(3, Replica.State.READY),
            replica(4, Replica.State.READY));
    assertThat(ServiceReconciler.victims(active, 1)).extracting(Replica::index).containsExactly(2);
    assertThat(ServiceReconciler.victims(active, 3))
        .extracting(Replica::index)
        .containsExactly(2, 4, 3);
  }

  @Test
  void failedTicksBackOffByDoublingUpToThirtySeconds() {
    assertThat(Controller.backoff(Duration.ofSeconds(1), 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Controller.backoff(Duration.ofSeconds(1), 3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Controller.backoff(Duration.ofSeconds(1), 50)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aReplicaIsReadyOnlyWhenHealthyAndAddressable() {
    assertThat(replica(1, Replica.State.READY).ready()).isTrue();
    assertThat(
            new Replica("x", "p-web-1", 1, Replica.State.READY, "", Instant.EPOCH, false).ready())
        .isFalse();
    assertThat(replica(1, Replica.State.UNHEALTHY).ready()).isFalse();
    assertThat(
            new Replica(
                    "x", "p-web-1-draining", 1, Replica.State.READY, "1.2.3.4", Instant.EPOCH, true)
                .active())
        .isFalse();
    assertThat(replica(1, Replica.State.GONE).active()).isFalse();
  }
}
