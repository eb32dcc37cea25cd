package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replica may start with more CPUs than its limit, and is set to its limit once it is ready. */
class StartupBoostTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Fakes.Runtime runtime = new Fakes.Runtime(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Probe probe = new Fakes.Probe();
  private Controller controller;

  private Controller controller(double startupCpus) {
    controller =
        new Controller(
            Fakes.config(Fakes.withStartupCpus(Fakes.service("web", "/", 2, 4), startupCpus)),
            runtime,
            new Fakes.Metrics(runtime),
            balancer,
            probe,
            clock,
            false,
            new Fakes.Direct());
    return controller;
  }

  @AfterEach
  void close() {
    controller.close();
  }

  private void serves(String name) {
    probe.serving.add(name);
    clock.advance(Prober.EAGER);
    controller.pollProbes();
    controller.repair();
  }

  @Test
  void startsBoostedAndEndsTheBoostOfEachReplicaOnceItIsReady() {
    controller(2).tick();
    assertThat(runtime.log).contains("start p-web-1 app:1 with 2.0 CPUs");
    assertThat(runtime.log).noneMatch(l -> l.startsWith("boost over"));

    serves("p-web-1");
    assertThat(runtime.log).containsOnlyOnce("boost over p-web-1 at 0.5 CPUs");
    assertThat(runtime.log).doesNotContain("boost over p-web-2 at 0.5 CPUs");
    controller.tick();
    serves("p-web-2");
    controller.tick();
    assertThat(runtime.log)
        .containsOnlyOnce("boost over p-web-1 at 0.5 CPUs")
        .containsOnlyOnce("boost over p-web-2 at 0.5 CPUs");
    // The runtime is asked once per replica and run, not at every pass.
    assertThat(runtime.log)
        .containsOnlyOnce("end boost p-web-1")
        .containsOnlyOnce("end boost p-web-2");
  }

  @Test
  void aBoostIsEndedByTheNextRunWhenDockscaleRestartedBeforeTheReplicaWasReady() {
    controller(2).tick();
    controller.close();

    controller(2).tick();
    serves("p-web-1");
    assertThat(runtime.log).containsOnlyOnce("boost over p-web-1 at 0.5 CPUs");
  }

  @Test
  void withoutABoostReplicasStartAtTheirLimit() {
    controller(0.5).tick();
    serves("p-web-1");
    clock.advance(Duration.ofSeconds(1));
    controller.tick();
    assertThat(runtime.log).contains("start p-web-1 app:1").noneMatch(l -> l.contains("CPUs"));
  }
}
