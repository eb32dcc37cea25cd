package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.Change;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas failing their probe are replaced a few at a time: when every probe fails because the
 * host is too busy to answer, replacing them all at once would only make it busier.
 */
class HealerBoundTest {

  private final Fakes.Loop loop = new Fakes.Loop();

  @BeforeEach
  void eightServing() {
    loop.of(Fakes.withMaxReplacing(Fakes.service("web", "/", 8, 8), Change.percent(25))).tick();
    loop.serveAll("web");
    loop.probeAfter(Prober.EAGER);
    assertThat(loop.balancer.backends("web")).hasSize(8);
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private long stops() {
    return loop.runtime.log.stream().filter(l -> l.startsWith("stop")).count();
  }

  @Test
  void atMostMaxReplacingAreReplacedWhileTheirReplacementsStart() {
    loop.probe.serving.clear();
    for (int i = 0; i < 3; i++) {
      loop.probeAfter(Duration.ofSeconds(2));
    }
    assertThat(loop.balancer.backends("web")).isEmpty();

    loop.clock.advance(Duration.ofSeconds(31));
    ServiceStatus s = loop.controller.tick().get(0);
    assertThat(stops()).isEqualTo(2);
    assertThat(s.problems())
        .contains(
            "6 replica(s) failing their probe wait their turn, out of the balancer: 2 starting,"
                + " being stopped or missing, at most 2 at once (health.max-replacing 25%)");

    // Their replacements are still starting (the crash-loop back-off starts one at a time):
    // nobody else goes.
    for (int i = 0; i < 10; i++) {
      loop.probeAfter(Duration.ofSeconds(2));
      loop.controller.tick();
    }
    assertThat(stops()).as(String.join("\n", loop.runtime.log)).isEqualTo(2);
    assertThat(loop.runtime.count("web")).isEqualTo(8);

    // Once the replacements (they took indexes 1 and 2 again) serve, the next two go.
    loop.runtime.containers.values().stream()
        .filter(r -> r.index() <= 2)
        .forEach(r -> loop.probe.serving.add(r.name()));
    loop.probeAfter(Prober.EAGER);
    loop.controller.tick();
    assertThat(stops()).isEqualTo(4);
    assertThat(loop.runtime.log).contains("stop p-web-3", "stop p-web-4");
  }

  @Test
  void exitedReplicasAreAlwaysReplacedAtOnce() {
    for (int i = 1; i <= 5; i++) {
      loop.runtime.set("p-web-" + i, Replica.State.EXITED, new Replica.Exit(1, false, ""));
    }
    loop.controller.repair();
    assertThat(stops()).isEqualTo(5);
  }
}
