package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replicas started together reach the balancer together: one reload for a burst. */
class RoutingBatchTest {

  private final Fakes.Loop loop = new Fakes.Loop();

  private void burstOfFour(Duration wait) {
    loop.of(Fakes.withBatchWait(Fakes.service("web", "/", 4, 4), wait)).tick();
    assertThat(loop.runtime.count("web")).isEqualTo(4);
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private ServiceStatus serves(String... names) {
    loop.serve(List.of(names));
    return loop.probeAfter(Prober.EAGER).get(0);
  }

  private List<String> routed() {
    return loop.balancer.backends("web");
  }

  @Test
  void readyReplicasWaitForTheRestOfTheirBatchAndAreRoutedInOneReload() {
    burstOfFour(Duration.ofSeconds(1));
    int before = loop.balancer.reloads;

    ServiceStatus s = serves("p-web-1", "p-web-2");
    assertThat(routed()).isEmpty();
    assertThat(s.acted()).anyMatch(a -> a.startsWith("holding 2 ready replica(s)"));

    serves("p-web-3", "p-web-4");
    assertThat(routed()).containsExactly("p-web-1", "p-web-2", "p-web-3", "p-web-4");
    assertThat(loop.balancer.reloads - before).isEqualTo(1);
  }

  @Test
  void aStragglerHoldsTheOthersBackForBatchWaitAtMost() {
    burstOfFour(Duration.ofSeconds(1));
    serves("p-web-1", "p-web-2", "p-web-3");
    assertThat(routed()).isEmpty();

    loop.clock.advance(Duration.ofMillis(1000));
    loop.controller.repair();
    assertThat(routed()).containsExactly("p-web-1", "p-web-2", "p-web-3");

    // The batch is over: the straggler is routed as soon as it is ready, on its own.
    serves("p-web-4");
    assertThat(routed()).hasSize(4);
  }

  @Test
  void aMemberThatFailsNoLongerHoldsTheOthers() {
    burstOfFour(Duration.ofSeconds(30));
    serves("p-web-1", "p-web-2", "p-web-3");
    assertThat(routed()).isEmpty();

    loop.runtime.set("p-web-4", Replica.State.EXITED, new Replica.Exit(1, false, ""));
    loop.controller.repair();
    assertThat(routed()).containsExactly("p-web-1", "p-web-2", "p-web-3");
  }

  @Test
  void withoutABatchWaitEachReplicaIsRoutedAsItTurnsReady() {
    burstOfFour(Duration.ZERO);
    serves("p-web-1");
    assertThat(routed()).containsExactly("p-web-1");
  }
}
