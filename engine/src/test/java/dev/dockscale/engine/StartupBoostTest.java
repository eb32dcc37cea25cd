package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replica may start with more CPUs than its limit, and is set to its limit once it is ready. */
class StartupBoostTest {

  private final Fakes.Loop loop = new Fakes.Loop();

  private Controller controller(double startupCpus) {
    return loop.of(Fakes.withStartupCpus(Fakes.service("web", "/", 2, 4), startupCpus));
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private void serves(String name) {
    loop.serve(List.of(name));
    loop.probeAfter(Prober.EAGER);
  }

  @Test
  void startsBoostedAndEndsTheBoostOfEachReplicaOnceItIsReady() {
    controller(2).tick();
    assertThat(loop.runtime.log).contains("start p-web-1 app:1 with 2.0 CPUs");
    assertThat(loop.runtime.log).noneMatch(l -> l.startsWith("boost over"));

    serves("p-web-1");
    assertThat(loop.runtime.log)
        .containsOnlyOnce("boost over p-web-1 at 0.5 CPUs")
        .doesNotContain("boost over p-web-2 at 0.5 CPUs");
    loop.controller.tick();
    serves("p-web-2");
    loop.controller.tick();
    assertThat(loop.runtime.log)
        .containsOnlyOnce("boost over p-web-1 at 0.5 CPUs")
        .containsOnlyOnce("boost over p-web-2 at 0.5 CPUs");
    // The runtime is asked once per replica and run, not at every pass.
    assertThat(loop.runtime.log)
        .containsOnlyOnce("end boost p-web-1")
        .containsOnlyOnce("end boost p-web-2");
  }

  @Test
  void aBoostIsEndedByTheNextRunWhenDockscaleRestartedBeforeTheReplicaWasReady() {
    controller(2).tick();
    loop.controller.close();

    controller(2).tick();
    serves("p-web-1");
    assertThat(loop.runtime.log).containsOnlyOnce("boost over p-web-1 at 0.5 CPUs");
  }

  @Test
  void withoutABoostReplicasStartAtTheirLimit() {
    controller(0.5).tick();
    serves("p-web-1");
    loop.clock.advance(Duration.ofSeconds(1));
    loop.controller.tick();
    assertThat(loop.runtime.log)
        .contains("start p-web-1 app:1")
        .noneMatch(l -> l.contains("CPUs"))
        .containsOnlyOnce("end boost p-web-1");
  }
}
