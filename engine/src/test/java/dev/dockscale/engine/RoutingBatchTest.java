package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replicas started together reach the balancer together: one reload for a burst. */
class RoutingBatchTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Fakes.Runtime runtime = new Fakes.Runtime(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Probe probe = new Fakes.Probe();
  private Controller controller;

  private void burstOfFour(Duration wait) {
    controller =
        new Controller(
            Fakes.config(Fakes.withBatchWait(Fakes.service("web", "/", 4, 4), wait)),
            runtime,
            new Fakes.Metrics(runtime),
            balancer,
            probe,
            clock,
            false,
            new Fakes.Direct());
    controller.tick();
    assertThat(runtime.count("web")).isEqualTo(4);
  }

  @AfterEach
  void close() {
    controller.close();
  }

  private void serves(String... names) {
    probe.serving.addAll(List.of(names));
    clock.advance(Prober.EAGER);
    controller.pollProbes();
    controller.repair();
  }

  @Test
  void readyReplicasWaitForTheRestOfTheirBatchAndAreRoutedInOneReload() {
    burstOfFour(Duration.ofSeconds(1));
    int before = balancer.reloads;

    serves("p-web-1", "p-web-2");
    ServiceStatus s = controller.repair().get(0);
    assertThat(balancer.backends("web")).isEmpty();
    assertThat(s.acted()).anyMatch(a -> a.startsWith("holding 2 ready replica(s)"));

    serves("p-web-3", "p-web-4");
    assertThat(balancer.backends("web"))
        .containsExactly("p-web-1", "p-web-2", "p-web-3", "p-web-4");
    assertThat(balancer.reloads - before).isEqualTo(1);
  }

  @Test
  void aStragglerHoldsTheOthersBackForBatchWaitAtMost() {
    burstOfFour(Duration.ofSeconds(1));
    serves("p-web-1", "p-web-2", "p-web-3");
    assertThat(balancer.backends("web")).isEmpty();

    clock.advance(Duration.ofMillis(1000));
    controller.repair();
    assertThat(balancer.backends("web")).containsExactly("p-web-1", "p-web-2", "p-web-3");

    // The batch is over: the straggler is routed as soon as it is ready, on its own.
    serves("p-web-4");
    assertThat(balancer.backends("web")).hasSize(4);
  }

  @Test
  void aMemberThatFailsNoLongerHoldsTheOthers() {
    burstOfFour(Duration.ofSeconds(30));
    serves("p-web-1", "p-web-2", "p-web-3");
    assertThat(balancer.backends("web")).isEmpty();

    runtime.set("p-web-4", Replica.State.EXITED, new Replica.Exit(1, false, ""));
    controller.repair();
    assertThat(balancer.backends("web")).containsExactly("p-web-1", "p-web-2", "p-web-3");
  }

  @Test
  void withoutABatchWaitEachReplicaIsRoutedAsItTurnsReady() {
    burstOfFour(Duration.ZERO);
    serves("p-web-1");
    assertThat(balancer.backends("web")).containsExactly("p-web-1");
  }
}
