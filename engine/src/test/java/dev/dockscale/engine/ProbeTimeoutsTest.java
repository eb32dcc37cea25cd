package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica whose probe times out is unhealthy; most replicas timing out at once is the host (or
 * the probe path) too busy to answer, and takes nobody out of the balancer.
 */
class ProbeTimeoutsTest {

  private final Fakes.Loop loop = new Fakes.Loop();

  @BeforeEach
  void fourServing() {
    // api never answers: replicas still starting say nothing of the host.
    loop.of(Fakes.service("web", "/", 4, 4), Fakes.service("api", "/api", 6, 6)).tick();
    loop.serveAll("web");
    loop.probeAfter(Duration.ofSeconds(2));
    assertThat(loop.balancer.backends("web")).hasSize(4);
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private ServiceStatus web(List<ServiceStatus> statuses) {
    return statuses.stream().filter(s -> s.service().equals("web")).findFirst().orElseThrow();
  }

  @Test
  void oneReplicaTimingOutIsTakenOutAndReplaced() {
    loop.probe.hanging.add("p-web-2");
    for (int i = 0; i < 3; i++) {
      loop.probeAfter(Duration.ofSeconds(2));
    }
    assertThat(loop.balancer.backends("web")).containsExactly("p-web-1", "p-web-3", "p-web-4");
    loop.clock.advance(Duration.ofSeconds(31));
    loop.controller.tick();
    assertThat(loop.runtime.log).contains("stop p-web-2");
  }

  @Test
  void mostReplicasTimingOutAtOnceTakesNobodyOutHoweverManyStart() {
    loop.probe.hanging.addAll(List.of("p-web-1", "p-web-2", "p-web-3"));
    ServiceStatus status = null;
    for (int i = 0; i < 20; i++) {
      loop.probeAfter(Duration.ofSeconds(2));
      status = web(loop.controller.tick());
    }
    assertThat(loop.balancer.backends("web")).hasSize(4);
    assertThat(loop.runtime.log).noneMatch(l -> l.startsWith("stop"));
    assertThat(status.problems())
        .contains(
            "probe timeouts of p-web-1, p-web-2, p-web-3 not counted: 3 of 4 replicas' last probes"
                + " timed out (the host or the probe path is too busy to answer in time, not this"
                + " replica alone)");

    // Once the host answers again, a replica that still does not is taken out as usual.
    loop.probe.hanging.clear();
    loop.probe.hanging.add("p-web-3");
    for (int i = 0; i < 4; i++) {
      loop.probeAfter(Duration.ofSeconds(2));
    }
    assertThat(loop.balancer.backends("web")).containsExactly("p-web-1", "p-web-2", "p-web-4");
  }
}
