package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.Change;
import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas failing their probe are replaced a few at a time: when every probe fails because the
 * host is too busy to answer, replacing them all at once would only make it busier.
 */
class HealerBoundTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Fakes.Runtime runtime = new Fakes.Runtime(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Probe probe = new Fakes.Probe();
  private Controller controller;

  @BeforeEach
  void eightServing() {
    controller =
        new Controller(
            Fakes.config(
                Fakes.withMaxReplacing(Fakes.service("web", "/", 8, 8), Change.percent(25))),
            runtime,
            new Fakes.Metrics(runtime),
            balancer,
            probe,
            clock,
            false,
            new Fakes.Direct());
    controller.tick();
    allServe();
    probeAfter(Prober.EAGER);
    assertThat(balancer.backends("web")).hasSize(8);
  }

  @AfterEach
  void close() {
    controller.close();
  }

  private void allServe() {
    runtime.containers.values().forEach(r -> probe.serving.add(r.name()));
  }

  private void probeAfter(Duration d) {
    clock.advance(d);
    controller.pollProbes();
    controller.repair();
  }

  private long stops() {
    return runtime.log.stream().filter(l -> l.startsWith("stop")).count();
  }

  @Test
  void atMostMaxReplacingAreReplacedWhileTheirReplacementsStart() {
    probe.serving.clear();
    for (int i = 0; i < 3; i++) {
      probeAfter(Duration.ofSeconds(2));
    }
    assertThat(balancer.backends("web")).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    ServiceStatus s = controller.tick().get(0);
    assertThat(stops()).isEqualTo(2);
    assertThat(s.problems())
        .anyMatch(
            p ->
                p.equals(
                    "6 replica(s) failing their probe wait their turn, out of the balancer: 2"
                        + " starting, being stopped or missing, at most 2 at once"
                        + " (health.max-replacing 25%)"));

    // Their replacements are still starting (the crash-loop back-off starts one at a time):
    // nobody else goes.
    for (int i = 0; i < 10; i++) {
      probeAfter(Duration.ofSeconds(2));
      controller.tick();
    }
    assertThat(stops()).as(String.join("\n", runtime.log)).isEqualTo(2);
    assertThat(runtime.count("web")).isEqualTo(8);

    // Once they serve, the next go.
    runtime.containers.values().stream()
        .filter(r -> r.index() <= 2)
        .forEach(r -> probe.serving.add(r.name()));
    probeAfter(Prober.EAGER);
    ServiceStatus after = controller.tick().get(0);
    assertThat(stops()).as(after + "\n" + String.join("\n", runtime.log)).isEqualTo(4);
  }

  @Test
  void exitedReplicasAreAlwaysReplacedAtOnce() {
    for (int i = 1; i <= 5; i++) {
      runtime.set("p-web-" + i, Replica.State.EXITED, new Replica.Exit(1, false, ""));
    }
    controller.repair();
    assertThat(stops()).isEqualTo(5);
  }
}
