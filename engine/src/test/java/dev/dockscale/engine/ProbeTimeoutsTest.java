package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica whose probe times out is unhealthy; most replicas timing out at once is the host (or
 * the probe path) too busy to answer, and takes nobody out of the balancer.
 */
class ProbeTimeoutsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Fakes.Runtime runtime = new Fakes.Runtime(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Probe probe = new Fakes.Probe();
  private Controller controller;

  @BeforeEach
  void fourServing() {
    controller =
        new Controller(
            // api never answers: replicas still starting say nothing of the host.
            Fakes.config(Fakes.service("web", "/", 4, 4), Fakes.service("api", "/api", 6, 6)),
            runtime,
            new Fakes.Metrics(runtime),
            balancer,
            probe,
            clock,
            false,
            new Fakes.Direct());
    controller.tick();
    runtime.containers.values().stream()
        .filter(r -> r.service().equals("web"))
        .forEach(r -> probe.serving.add(r.name()));
    probeRound();
    assertThat(balancer.backends("web")).hasSize(4);
  }

  @AfterEach
  void close() {
    controller.close();
  }

  private void probeRound() {
    clock.advance(Duration.ofSeconds(2));
    controller.pollProbes();
    controller.repair();
  }

  @Test
  void oneReplicaTimingOutIsTakenOutAndReplaced() {
    probe.hanging.add("p-web-2");
    for (int i = 0; i < 3; i++) {
      probeRound();
    }
    assertThat(balancer.backends("web")).containsExactly("p-web-1", "p-web-3", "p-web-4");
    clock.advance(Duration.ofSeconds(31));
    controller.tick();
    assertThat(runtime.log).contains("stop p-web-2");
  }

  @Test
  void mostReplicasTimingOutAtOnceTakesNobodyOutHoweverManyStart() {
    probe.hanging.addAll(java.util.List.of("p-web-1", "p-web-2", "p-web-3"));
    ServiceStatus status = null;
    for (int i = 0; i < 20; i++) {
      probeRound();
      status = controller.tick().stream().filter(x -> x.service().equals("web")).findFirst().get();
    }
    assertThat(balancer.backends("web")).hasSize(4);
    assertThat(runtime.log).noneMatch(l -> l.startsWith("stop"));
    assertThat(status.problems())
        .contains(
            "probe timeouts of p-web-1, p-web-2, p-web-3 not counted: 3 of 4 replicas' last probes"
                + " timed out (the host or the probe path is too busy to answer in time, not this"
                + " replica alone)");

    // Once the host answers again, a replica that still does not is taken out as usual.
    probe.hanging.clear();
    probe.hanging.add("p-web-3");
    for (int i = 0; i < 4; i++) {
      probeRound();
    }
    assertThat(balancer.backends("web")).containsExactly("p-web-1", "p-web-2", "p-web-4");
  }
}
