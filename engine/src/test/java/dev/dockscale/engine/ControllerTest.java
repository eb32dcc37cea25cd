package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.policy.TargetStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reconcile loop against fakes and a manual clock: every case in milliseconds. */
class ControllerTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Fakes.Runtime runtime = new Fakes.Runtime(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Metrics metrics = new Fakes.Metrics(runtime);
  private final Fakes.Probe probe = new Fakes.Probe();
  private Controller controller;

  private Controller controller(ServiceSpec... services) {
    return controller(Fakes.config(services));
  }

  private Controller controller(DockscaleConfig config) {
    controller =
        new Controller(config, runtime, metrics, balancer, probe, clock, false, new Fakes.Direct());
    return controller;
  }

  @AfterEach
  void close() {
    if (controller != null) {
      controller.close();
    }
  }

  /** Every replica started so far answers its probe from now on. */
  private void allServe() {
    runtime.containers.values().forEach(r -> probe.serving.add(r.name()));
  }

  /** Moves time on and lets due probes run, then one repairing pass (what their change runs). */
  private void probeAfter(Duration d) {
    clock.advance(d);
    controller.pollProbes();
    controller.repair();
  }

  /** One service of {@code min} replicas, started and serving. */
  private void serving(int min) {
    controller(Fakes.service("web", "/", min, 4)).tick();
    allServe();
    probeAfter(Prober.EAGER);
  }

  /** Scaled out to two replicas under load, both serving. */
  private void servingTwoAfterLoad() {
    serving(1);
    metrics.cpu.put("web", 90.0);
    controller.tick();
    allServe();
    probeAfter(Prober.EAGER);
  }

  private ServiceStatus status(List<ServiceStatus> statuses, String service) {
    return statuses.stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  @Test
  void startsMinReplicasAndRoutesThemOnlyOnceTheyAnswerTheirProbe() {
    controller(Fakes.service("web", "/", 2, 4)).tick();
    assertThat(runtime.count("web")).isEqualTo(2);
    assertThat(balancer.backends("web")).isEmpty();

    allServe();
    probeAfter(Prober.EAGER);
    assertThat(balancer.backends("web")).containsExactly("p-web-1", "p-web-2");
  }

  @Test
  void scalesOutUnderLoadThenDrainsBeforeStopping() {
    serving(1);
    metrics.cpu.put("web", 90.0);
    controller.tick();
    assertThat(runtime.count("web")).isEqualTo(2);
    allServe();
    probeAfter(Prober.EAGER);
    assertThat(balancer.backends("web")).hasSize(2);

    metrics.cpu.put("web", 5.0);
    clock.advance(Duration.ofSeconds(1));
    List<ServiceStatus> s = controller.tick();
    assertThat(status(s, "web").acted()).anyMatch(a -> a.startsWith("draining p-web-2"));
    assertThat(balancer.backends("web")).containsExactly("p-web-1");
    assertThat(runtime.log).doesNotContain("stop p-web-2-draining");

    clock.advance(Duration.ofSeconds(2));
    controller.tick();
    assertThat(runtime.log).contains("stop p-web-2-draining");
  }

  @Test
  void drainTimersWaitForTheBalancerToAcceptTheConfigWithoutTheReplica() {
    servingTwoAfterLoad();
    metrics.cpu.put("web", 5.0);
    balancer.rejectNext = true;
    controller.tick();
    clock.advance(Duration.ofSeconds(5));
    balancer.rejectNext = true;
    controller.repair();
    assertThat(runtime.log).noneMatch(l -> l.startsWith("stop"));

    controller.repair();
    clock.advance(Duration.ofSeconds(2));
    controller.repair();
    assertThat(runtime.log).contains("stop p-web-2-draining");
  }

  @Test
  void aReplicaThatExitsIsReplacedOnTheNextRepairPassWithTheReasonForUsers() {
    serving(1);
    runtime.set("p-web-1", Replica.State.EXITED, new Replica.Exit(137, true, ""));

    ServiceStatus s = status(controller.repair(), "web");
    assertThat(s.acted()).anyMatch(a -> a.contains("OOM-killed") && a.contains("resources.memory"));
    assertThat(runtime.log).contains("stop p-web-1");
    assertThat(runtime.log.stream().filter(l -> l.startsWith("start p-web-"))).hasSize(2);
    assertThat(balancer.backends("web")).isEmpty();
  }

  @Test
  void aReplicaNeverReadyWithinItsStartPeriodIsReplaced() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    probeAfter(Prober.EAGER);
    clock.advance(Duration.ofSeconds(30));
    assertThat(status(controller.tick(), "web").acted()).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    ServiceStatus s = status(controller.tick(), "web");
    assertThat(s.acted())
        .anyMatch(
            a ->
                a.contains("not ready within health.start-period 1m")
                    && a.contains("connection refused"));
    assertThat(runtime.log).contains("stop p-web-1");
    assertThat(runtime.count("web")).isEqualTo(1);
  }

  @Test
  void aLongRunningReplicaRestartedInPlaceIsNotTakenForOneThatNeverStarted() {
    serving(1);
    clock.advance(Duration.ofHours(1));
    controller.tick();
    runtime.restart("p-web-1");
    controller.repair();
    assertThat(balancer.backends("web")).isEmpty();
    probeAfter(Prober.EAGER);
    assertThat(balancer.backends("web")).containsExactly("p-web-1");
    assertThat(runtime.log).doesNotContain("stop p-web-1");
  }

  @Test
  void replicasAreNeverReplacedWhileTheProbeChannelIsDown() {
    probe.channelDown = true;
    controller(Fakes.service("web", "/", 2, 4)).tick();
    for (int i = 0; i < 10; i++) {
      probeAfter(Duration.ofSeconds(30));
      controller.tick();
    }
    assertThat(runtime.log).noneMatch(l -> l.startsWith("stop"));
    assertThat(runtime.count("web")).isEqualTo(2);
  }

  @Test
  void anUnhealthyReplicaLeavesTheBalancerAtOnceAndIsReplacedAfterReplaceAfter() {
    serving(1);
    probe.serving.clear();
    for (int i = 0; i < 3; i++) {
      probeAfter(Duration.ofSeconds(2));
    }
    assertThat(balancer.backends("web")).isEmpty();
    assertThat(runtime.log).doesNotContain("stop p-web-1");

    clock.advance(Duration.ofSeconds(31));
    controller.tick();
    assertThat(runtime.log).contains("stop p-web-1");
    assertThat(runtime.count("web")).isEqualTo(1);
  }

  @Test
  void aProbeThatCannotBeMadeChangesNoReadiness() {
    serving(1);
    probe.channelDown = true;
    for (int i = 0; i < 5; i++) {
      probeAfter(Duration.ofSeconds(2));
    }
    assertThat(balancer.backends("web")).containsExactly("p-web-1");
  }

  @Test
  void aFailedStartIsReportedAndStartsNoCooldown() {
    ServiceSpec web = Fakes.service("web", "/", "broken:1", 1, 4);
    runtime.failingImages.add("broken:1");
    ServiceStatus s = status(controller(web).tick(), "web");
    assertThat(s.problems()).anyMatch(p -> p.contains("start of p-web-1 failed"));
    assertThat(runtime.count("web")).isZero();

    runtime.failingImages.clear();
    clock.advance(Duration.ofSeconds(1));
    controller.tick();
    assertThat(runtime.count("web")).isEqualTo(1);
  }

  @Test
  void aCrashLoopBacksOffExponentiallyAndSaysSo() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    int starts = 1;
    for (int failure = 1; failure <= 5; failure++) {
      Replica r = runtime.containers.values().iterator().next();
      runtime.set(r.name(), Replica.State.EXITED, new Replica.Exit(1, false, ""));
      ServiceStatus s = status(controller.repair(), "web");
      if (failure == 1) {
        // The first failure is replaced at once.
        starts++;
        assertThat(runtime.log.stream().filter(l -> l.startsWith("start"))).hasSize(starts);
        continue;
      }
      assertThat(s.problems()).anyMatch(p -> p.startsWith("crash loop"));
      long delay = CrashLoop.delay(failure).toMillis();
      clock.advance(Duration.ofMillis(delay - 1));
      controller.repair();
      assertThat(runtime.log.stream().filter(l -> l.startsWith("start"))).hasSize(starts);
      clock.advance(Duration.ofMillis(1));
      controller.repair();
      starts++;
      assertThat(runtime.log.stream().filter(l -> l.startsWith("start"))).hasSize(starts);
    }
  }

  @Test
  void twoServicesScaleApartOnOneObservationAndOneMetricsReadPerPass() {
    controller(Fakes.service("api", "/api", 1, 4), Fakes.service("web", "/", 1, 4)).tick();
    allServe();
    probeAfter(Prober.EAGER);
    metrics.cpu.put("api", 95.0);
    metrics.cpu.put("web", 40.0);
    int readsBefore = metrics.reads;
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(1));
      controller.tick();
      allServe();
      probeAfter(Prober.EAGER);
    }
    assertThat(runtime.count("api")).isEqualTo(4);
    assertThat(runtime.count("web")).isEqualTo(1);
    assertThat(metrics.reads - readsBefore).isEqualTo(6);
  }

  @Test
  void aServiceWhoseImageCannotBeHadNeitherStopsTheOthersNorTheBalancer() {
    runtime.missingImages.add("nosuch:1");
    List<ServiceStatus> s =
        controller(
                Fakes.service("web", "/", 1, 4), Fakes.service("ghost", "/ghost", "nosuch:1", 1, 4))
            .tick();
    assertThat(status(s, "ghost").problems()).anyMatch(p -> p.contains("nosuch:1 not found"));
    allServe();
    probeAfter(Prober.EAGER);
    assertThat(balancer.backends("web")).containsExactly("p-web-1");
    assertThat(runtime.count("ghost")).isZero();
  }

  @Test
  void aServiceThatThrowsIsBackedOffAloneWhileTheOthersGoOn() {
    controller(Fakes.service("web", "/", 1, 4), Fakes.service("api", "/api", 1, 4)).tick();
    allServe();
    probeAfter(Prober.EAGER);
    runtime.failingImages.add("app:1");
    runtime.set("p-api-1", Replica.State.EXITED, new Replica.Exit(1, false, ""));
    runtime.set("p-web-1", Replica.State.EXITED, new Replica.Exit(1, false, ""));
    ServiceStatus api = status(controller.repair(), "api");
    assertThat(api.problems()).anyMatch(p -> p.contains("failed"));
    assertThat(balancer.reloads).isPositive();
  }

  @Test
  void whenTheEngineDoesNotAnswerNothingIsDecidedOrChangedAndMinIsRestoredAfter() {
    serving(2);
    List<Balancer.Route> before = balancer.routes;
    runtime.down = true;
    assertThatThrownBy(controller::tick).hasMessageContaining("does not answer");
    assertThat(balancer.routes).isEqualTo(before);

    runtime.down = false;
    runtime.containers.clear();
    controller.tick();
    assertThat(runtime.count("web")).isEqualTo(2);
  }

  @Test
  void aChangedImageRollsOneReplicaAtATimeAndTheServiceNeverLosesItsLastBackend() {
    ServiceSpec v1 = Fakes.service("web", "/", 1, 4);
    controller(v1).tick();
    allServe();
    probeAfter(Prober.EAGER);

    controller.applyConfig(Fakes.config(Fakes.service("web", "/", "app:2", 1, 4)));
    assertThat(runtime.log).contains("start p-web-2 app:2");
    assertThat(balancer.backends("web")).containsExactly("p-web-1");

    allServe();
    probeAfter(Prober.EAGER);
    assertThat(runtime.log).contains("drain p-web-1");
    assertThat(balancer.backends("web")).containsExactly("p-web-2");
    clock.advance(Duration.ofSeconds(3));
    controller.tick();
    assertThat(runtime.log).contains("stop p-web-1-draining");
    assertThat(runtime.count("web")).isEqualTo(1);
  }

  @Test
  void aServiceRemovedFromTheConfigIsDrainedThenStopped() {
    controller(Fakes.service("web", "/", 1, 4), Fakes.service("api", "/api", 1, 4)).tick();
    controller.applyConfig(Fakes.config(Fakes.service("web", "/", 1, 4)));
    assertThat(runtime.log).contains("drain p-api-1");
    clock.advance(Orphans.DRAIN);
    controller.repair();
    assertThat(runtime.log).contains("stop p-api-1-draining");
    assertThat(runtime.count("web")).isEqualTo(1);
  }

  @Test
  void scaleInNeverChoosesAProtectedReplica() {
    servingTwoAfterLoad();
    runtime.protect("p-web-2");
    metrics.cpu.put("web", 5.0);
    clock.advance(Duration.ofSeconds(1));
    controller.tick();
    assertThat(runtime.log).contains("drain p-web-1").doesNotContain("drain p-web-2");
  }

  @Test
  void keepsAWarmPoolStartedReadyAndPausedAndNeverRoutesIt() {
    controller(Fakes.service("web", "/", "app:1", 1, 4, 2)).tick();
    controller.repair();
    assertThat(runtime.log)
        .contains("start p-web-1 app:1", "start p-web-2 app:1", "start p-web-3 app:1");
    allServe();
    probeAfter(Prober.EAGER);
    controller.repair();
    assertThat(runtime.log).contains("pause p-web-2-warm", "pause p-web-3-warm");
    assertThat(balancer.backends("web")).containsExactly("p-web-1");
    ServiceStatus s = status(controller.tick(), "web");
    assertThat(s.active()).isEqualTo(1);
    assertThat(s.warm()).isEqualTo(2);
  }

  @Test
  void aScaleOutPromotesAWarmReplicaBeforeStartingOneAndThePoolIsRefilled() {
    controller(Fakes.service("web", "/", "app:1", 1, 4, 1)).tick();
    controller.repair();
    allServe();
    probeAfter(Prober.EAGER);
    controller.repair();
    int starts = (int) runtime.log.stream().filter(l -> l.startsWith("start")).count();

    metrics.cpu.put("web", 90.0);
    ServiceStatus s = status(controller.tick(), "web");
    assertThat(s.acted()).contains("promoted p-web-2 from the warm pool");
    assertThat(runtime.log.stream().filter(l -> l.startsWith("start"))).hasSize(starts);
    allServe();
    probeAfter(Prober.EAGER);
    assertThat(balancer.backends("web")).containsExactly("p-web-1", "p-web-2");

    controller.repair();
    assertThat(runtime.log).contains("start p-web-3 app:1");
    assertThat(runtime.named("p-web-3-warm").warm()).isTrue();
  }

  @Test
  void betweenTicksALoadAboveTheRuleAsksForADecisionAtOnce() {
    serving(1);
    controller.tick();
    metrics.cpu.put("web", 40.0);
    assertThat(controller.anyServiceWantsMore()).isFalse();
    metrics.cpu.put("web", 90.0);
    assertThat(controller.anyServiceWantsMore()).isTrue();
  }

  @Test
  void withSamplingBetweenTicksOffALoadAboveTheRuleWaitsForTheTick() {
    serving(1);
    controller.tick();
    metrics.cpu.put("web", 90.0);
    assertThat(controller.decidesBetweenTicks()).isTrue();
    controller.samplingBetweenTicks(false);
    assertThat(controller.decidesBetweenTicks()).isFalse();
    assertThat(controller.anyServiceWantsMore()).isTrue();
  }

  @Test
  void startingTheFirstReplicasStartsNoCooldownForTheFirstScaleOut() {
    ServiceSpec web = Fakes.service("web", "/", 1, 4);
    web =
        web.withPolicy(
            new dev.dockscale.policy.ScalingPolicy(
                "classic",
                1,
                4,
                web.policy().rules(),
                dev.dockscale.policy.Behavior.none().withUpCooldown(Duration.ofSeconds(30))));
    controller(web).tick();
    allServe();
    probeAfter(Prober.EAGER);
    metrics.cpu.put("web", 90.0);
    clock.advance(Duration.ofSeconds(1));
    controller.tick();
    assertThat(runtime.count("web")).isEqualTo(2);
  }

  @Test
  void aServiceScaledOnRequestRateHoldsAndSaysWhyWhenTheBalancerCannotBeReadWhileOthersGoOn() {
    ServiceSpec api =
        Fakes.service("api", "/api", 1, 4)
            .withPolicy(
                new ScalingPolicy(
                    "test",
                    1,
                    4,
                    List.of(new MetricRule(Metric.RPS, new TargetStrategy(50, 0.1))),
                    Behavior.none()));
    controller(Fakes.service("web", "/", 1, 4), api).tick();
    allServe();
    probeAfter(Prober.EAGER);

    // 120 rps on api's one replica asks for 3 at 50 each.
    metrics.rps.put("api", 120.0);
    List<ServiceStatus> scaled = controller.tick();
    assertThat(runtime.count("api")).isEqualTo(3);
    assertThat(status(scaled, "api").problems()).isEmpty();

    // The balancer's log cannot be read: api holds, with the reason; web scales on CPU as ever.
    allServe();
    probeAfter(Prober.EAGER);
    metrics.rps.remove("api");
    metrics.troubles =
        List.of(
            new MetricsSource.Trouble(
                Set.of(Metric.RPS, Metric.LATENCY),
                "the balancer's request log cannot be read (connection refused)"));
    metrics.cpu.put("web", 90.0);
    List<ServiceStatus> statuses = controller.tick();
    ServiceStatus apiStatus = status(statuses, "api");
    assertThat(apiStatus.problems())
        .containsExactly(
            "rps: no reading: the balancer's request log cannot be read (connection refused)");
    assertThat(apiStatus.decision().desired()).isEqualTo(3);
    assertThat(apiStatus.decision().reason()).contains("rps no usable reading");
    assertThat(status(statuses, "web").problems()).isEmpty();
    assertThat(runtime.count("web")).isEqualTo(2);
  }
}
