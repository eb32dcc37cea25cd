package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pause, resume and overrides through the controller, against fakes and a manual clock. */
class ControlTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Fakes.Runtime runtime = new Fakes.Runtime(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Metrics metrics = new Fakes.Metrics(runtime);
  private final Fakes.Probe probe = new Fakes.Probe();
  private final Controller controller =
      new Controller(
          Fakes.config(Fakes.service("web", "/", 1, 4)),
          runtime,
          metrics,
          balancer,
          probe,
          clock,
          false,
          new Fakes.Direct());

  @AfterEach
  void close() {
    controller.close();
  }

  /** Every replica started so far answers its probe; then a repairing pass. */
  private void allServeAfter(Duration d) {
    runtime.containers.values().forEach(r -> probe.serving.add(r.name()));
    clock.advance(d);
    controller.pollProbes();
    controller.repair();
  }

  private Decision tick() {
    return controller.tick().get(0).decision();
  }

  private Control control() {
    return controller.services().get(0).control();
  }

  @Test
  void aPausedServiceKeepsHealingButMakesNoScalingDecisionUntilResumed() {
    controller.tick();
    allServeAfter(Prober.EAGER);
    controller.pause("web", "test");
    metrics.cpu.put("web", 90.0);

    Decision paused = tick();
    assertThat(runtime.count("web")).isEqualTo(1);
    assertThat(paused.action()).isEqualTo(Decision.Action.HOLD);
    assertThat(paused.reason()).contains("paused by test").contains("no scaling decision");
    assertThat(paused.adjustments())
        .extracting(Decision.Adjustment::stage)
        .containsExactly("pause");
    assertThat(control().paused()).isTrue();

    runtime.set("p-web-1", Replica.State.EXITED, new Replica.Exit(1, false, ""));
    controller.repair();
    assertThat(runtime.log).contains("stop p-web-1");
    assertThat(runtime.count("web")).isEqualTo(1);

    controller.resume("web", "test");
    allServeAfter(Duration.ofSeconds(1));
    Decision resumed = tick();
    assertThat(resumed.action()).isEqualTo(Decision.Action.SCALE_UP);
    assertThat(runtime.count("web")).isEqualTo(2);
  }

  @Test
  void anOverridePinsTheCountWithItsReasonAndExpiresByItself() {
    controller.tick();
    allServeAfter(Prober.EAGER);
    metrics.cpu.put("web", 5.0);
    controller.override("web", 3, Duration.ofMinutes(10), "test");

    Decision pinned = tick();
    assertThat(pinned.desired()).isEqualTo(3);
    assertThat(pinned.reason())
        .contains("override to 3 by test")
        .contains("until 2026-01-01T00:10:00.100Z");
    assertThat(runtime.count("web")).isEqualTo(3);
    assertThat(control().override().replicas()).isEqualTo(3);

    allServeAfter(Duration.ofMinutes(10).minusMillis(1));
    assertThat(tick().desired()).isEqualTo(3);

    clock.advance(Duration.ofMillis(1));
    Decision after = tick();
    assertThat(after.desired()).as(after.line()).isEqualTo(2);
    assertThat(after.reason()).doesNotContain("override");
    assertThat(control().override()).isNull();
  }

  @Test
  void anOverrideOutsideMinAndMaxIsRefusedAndChangesNothing() {
    controller.tick();
    controller.override("web", 2, Duration.ofMinutes(10), "test");

    assertThatThrownBy(() -> controller.override("web", 5, Duration.ofMinutes(10), "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replicas.max 4")
        .hasMessageContaining("send a count from 1 to 4");
    assertThatThrownBy(() -> controller.override("web", 0, Duration.ofMinutes(10), "test"))
        .hasMessageContaining("replicas.min 1");
    assertThatThrownBy(() -> controller.override("web", 3, Duration.ofDays(2), "test"))
        .hasMessageContaining("ttl");
    assertThat(tick().desired()).isEqualTo(2);
  }

  @Test
  void anOverrideAppliesWhilePausedAndAReloadThatNoLongerAllowsItDropsIt() {
    controller.tick();
    allServeAfter(Prober.EAGER);
    controller.pause("web", "test");
    controller.override("web", 3, Duration.ofMinutes(10), "test");
    assertThat(tick().desired()).isEqualTo(3);

    controller.applyConfig(Fakes.config(Fakes.service("web", "/", 1, 2)));
    Decision after = tick();
    assertThat(after.reason()).contains("paused by test");
    assertThat(after.desired()).isEqualTo(2);
    assertThat(control().override()).isNull();
    assertThat(control().paused()).isTrue();
  }

  @Test
  void aServiceShowsBeforeItsFirstPassAndAPauseShowsAtOnce() {
    ServiceView before = controller.services().get(0);
    assertThat(before.service()).isEqualTo("web");
    assertThat(before.status().decision()).isNull();
    controller.pause("web", "test");
    // No pass ran: the controls shown are the live ones.
    assertThat(control().paused()).isTrue();
    controller.tick();
    controller.resume("web", "test");
    assertThat(control().paused()).isFalse();
  }

  @Test
  void anOverrideDroppedByTheLoopIsOnlyTheOneItSaw() {
    Controls controls = new Controls(clock, () -> Map.of("web", Fakes.service("web", "/", 1, 4)));
    Control.Override seen = controls.override("web", 3, Duration.ofMinutes(10), "api").override();
    Control.Override newer = controls.override("web", 2, Duration.ofMinutes(10), "api").override();
    assertThat(controls.clearOverrideIf("web", seen, "the config")).isFalse();
    assertThat(controls.current("web").override()).isEqualTo(newer);
    assertThat(controls.clearOverrideIf("web", newer, "the config")).isTrue();
    assertThat(controls.current("web").override()).isNull();
  }

  @Test
  void aPauseRacingTheRemovalOfItsServiceLeavesNoControlBehind() throws Exception {
    AtomicReference<Map<String, ServiceSpec>> config =
        new AtomicReference<>(Map.of("web", Fakes.service("web", "/", 1, 4)));
    CountDownLatch lookingUp = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    Controls controls =
        new Controls(
            clock,
            () -> {
              Map<String, ServiceSpec> specs = config.get();
              if (first.getAndSet(false)) {
                // The pause has looked web up; hold it here while the reload comes.
                lookingUp.countDown();
                awaitQuietly(goOn);
              }
              return specs;
            });
    Thread pause =
        new Thread(
            () -> {
              try {
                controls.pause("web", "api");
              } catch (NoSuchServiceException e) {
                // Refused after the reload: as good as before it.
              }
            });
    pause.start();
    assertThat(lookingUp.await(10, TimeUnit.SECONDS)).isTrue();
    Thread reload = new Thread(() -> controls.reconfigure(() -> config.set(Map.of()), Set.of()));
    reload.start();
    // The reload either waits for the pause (one lock) or has already run past it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reload.getState() == Thread.State.BLOCKED || !reload.isAlive());
    goOn.countDown();
    pause.join(10_000);
    reload.join(10_000);
    assertThat(controls.current("web")).isEqualTo(Control.NONE);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aServiceTheConfigDoesNotHaveIsRefusedByName() {
    assertThatThrownBy(() -> controller.pause("db", "test"))
        .isInstanceOf(NoSuchServiceException.class)
        .hasMessageContaining("no service 'db'; the services are web");
    assertThatThrownBy(() -> controller.clearOverride("db", "test"))
        .isInstanceOf(NoSuchServiceException.class);
  }

  @Test
  void everyDecisionIsLoggedWithWhatTheRuntimeConfirmed() {
    controller.tick();
    allServeAfter(Prober.EAGER);
    metrics.cpu.put("web", 90.0);
    clock.advance(Duration.ofSeconds(1));
    controller.tick();

    DecisionLog.Page page = controller.decisions("web", null, null, 10);
    assertThat(page.decisions()).hasSize(2);
    LoggedDecision newest = page.decisions().get(0);
    assertThat(newest.decision().action()).isEqualTo(Decision.Action.SCALE_UP);
    assertThat(newest.scaled()).isEqualTo(new LoggedDecision.Scaled(1, 2));
    assertThat(newest.seq()).isGreaterThan(page.decisions().get(1).seq());
    // Starting min is not a scale-out: nothing for the cooldowns.
    assertThat(page.decisions().get(1).scaled()).isNull();
  }
}
