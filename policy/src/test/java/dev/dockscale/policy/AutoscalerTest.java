package dev.dockscale.policy;

import static dev.dockscale.policy.Fixtures.LONG_AGO;
import static dev.dockscale.policy.Fixtures.atCpu;
import static dev.dockscale.policy.Fixtures.cpu;
import static dev.dockscale.policy.Fixtures.memory;
import static dev.dockscale.policy.Fixtures.policy;
import static dev.dockscale.policy.Fixtures.threshold;
import static dev.dockscale.policy.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalerTest {

  private final ManualClock clock = new ManualClock(Fixtures.START);

  private Autoscaler autoscaler(ScalingPolicy policy) {
    return new Autoscaler(policy, clock);
  }

  @Test
  void scalesOutWhenAnyMetricIsAboveItsUpThreshold() {
    Autoscaler a =
        autoscaler(
            policy(1, 4, Behavior.none(), cpu(threshold(70, 20)), memory(threshold(80, 30))));
    List<ReplicaView> replicas =
        List.of(
            ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, 10.0, Metric.MEMORY, 85.0)));
    Decision d = Fixtures.carriedOut(a, replicas);
    assertThat(d.action()).isEqualTo(Action.SCALE_UP);
    assertThat(d.desired()).isEqualTo(2);
    assertThat(d.reason()).contains("memory 85.0%");
  }

  @Test
  void scalesInOnlyWhenEveryMetricIsBelowItsDownThreshold() {
    Autoscaler a =
        autoscaler(
            policy(1, 4, Behavior.none(), cpu(threshold(70, 20)), memory(threshold(80, 30))));
    List<ReplicaView> cpuLowOnly =
        List.of(
            ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, 5.0, Metric.MEMORY, 50.0)),
            ReplicaView.of("r2", LONG_AGO, true, Map.of(Metric.CPU, 5.0, Metric.MEMORY, 50.0)));
    assertThat(Fixtures.carriedOut(a, cpuLowOnly).action()).isEqualTo(Action.HOLD);

    List<ReplicaView> bothLow =
        List.of(
            ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, 5.0, Metric.MEMORY, 20.0)),
            ReplicaView.of("r2", LONG_AGO, true, Map.of(Metric.CPU, 5.0, Metric.MEMORY, 20.0)));
    Decision d = Fixtures.carriedOut(a, bothLow);
    assertThat(d.action()).isEqualTo(Action.SCALE_DOWN);
    assertThat(d.desired()).isEqualTo(1);
  }

  @Test
  void theLargestScaleUpWinsAndTheSmallestScaleDown() {
    assertThat(Autoscaler.safest(List.of(proposal(5), proposal(3), proposal(1)), 2)).isEqualTo(5);
    assertThat(Autoscaler.safest(List.of(proposal(1), proposal(3)), 4)).isEqualTo(3);
    assertThat(Autoscaler.safest(List.of(proposal(1), proposal(4)), 4)).isEqualTo(4);
  }

  private static Decision.Proposal proposal(int n) {
    return new Decision.Proposal("cpu", "test", 50.0, 1, n, false, "");
  }

  @Test
  void staysWithinMinAndMax() {
    Autoscaler a = autoscaler(policy(2, 3, Behavior.none(), cpu(new TargetStrategy(50, 0.1))));
    assertThat(Fixtures.carriedOut(a, atCpu(3, 100)).desired()).isEqualTo(3);
    assertThat(Fixtures.carriedOut(a, atCpu(3, 1)).desired()).isEqualTo(2);
  }

  @Test
  void replacesReplicasBelowMinEvenDuringACooldown() {
    Behavior b = Behavior.none().withUpCooldown(Duration.ofMinutes(5));
    Autoscaler a = autoscaler(policy(3, 5, b, cpu(threshold(70, 20))));
    assertThat(Fixtures.carriedOut(a, atCpu(3, 90)).desired()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(1));
    Decision d = Fixtures.carriedOut(a, atCpu(1, 50));
    assertThat(d.desired()).isEqualTo(3);
    assertThat(d.adjustments())
        .anySatisfy(adj -> assertThat(adj.note()).contains("replacing replicas below min 3"));
  }

  @Test
  void startsMinReplicasWhenThereAreNone() {
    Autoscaler a = autoscaler(policy(1, 4, Behavior.none(), cpu(threshold(70, 20))));
    Decision d = Fixtures.carriedOut(a, List.of());
    assertThat(d.desired()).isEqualTo(1);
    assertThat(d.reason()).startsWith("scale up (within min 1, max 4): no usable metric");
  }

  @Test
  void takesNoActionWithoutAnyUsableMetric() {
    Autoscaler a = autoscaler(policy(1, 4, Behavior.none(), cpu(threshold(70, 20))));
    List<ReplicaView> unsampled =
        List.of(
            ReplicaView.of("r1", LONG_AGO, true, Map.of()),
            ReplicaView.of("r2", LONG_AGO, false, Map.of()));
    Decision d = Fixtures.carriedOut(a, unsampled);
    assertThat(d.action()).isEqualTo(Action.HOLD);
    assertThat(d.reason())
        .contains("no usable metric")
        .contains("1 not ready")
        .contains("1 unsampled");
  }

  @Test
  void notReadyReplicasCountAsZeroWhenDecidingAScaleUp() {
    Autoscaler a = autoscaler(policy(1, 10, Behavior.none(), cpu(threshold(70, 20))));
    // One ready replica at 90 % asks for one more; with the starting one as 0 %, 45 %: hold.
    List<ReplicaView> replicas =
        with(atCpu(1, 90), ReplicaView.of("new", LONG_AGO, false, Map.of()));
    Decision d = Fixtures.carriedOut(a, replicas);
    assertThat(d.desired()).isEqualTo(2);
    assertThat(d.proposals().get(0).note()).contains("counted as 0: 45.0");
  }

  @Test
  void notReadyReplicasAreLeftOutWhenDecidingAScaleDown() {
    Autoscaler a = autoscaler(policy(1, 10, Behavior.none(), cpu(new TargetStrategy(50, 0.1))));
    List<ReplicaView> replicas =
        with(atCpu(2, 10), ReplicaView.of("new", LONG_AGO, false, Map.of()));
    Decision d = Fixtures.carriedOut(a, replicas);
    // 10 % over the two ready replicas asks for ceil(2 * 0.2) = 1.
    assertThat(d.desired()).isEqualTo(1);
  }

  @Test
  void readyReplicasWithoutASampleCountAsFullWhenDecidingAScaleDown() {
    Autoscaler a = autoscaler(policy(1, 10, Behavior.none(), cpu(new TargetStrategy(50, 0.1))));
    List<ReplicaView> replicas =
        with(atCpu(2, 10), ReplicaView.of("unsampled", LONG_AGO, true, Map.of()));
    Decision d = Fixtures.carriedOut(a, replicas);
    // (10 + 10 + 100) / 3 = 40 % over 3 asks for ceil(3 * 0.8) = 3: no scale-down.
    assertThat(d.desired()).isEqualTo(3);
    assertThat(d.proposals().get(0).note()).contains("counted as full (100)");
  }

  @Test
  void ignoresReadingsDuringWarmUp() {
    Behavior b = Behavior.none().withWarmup(Duration.ofSeconds(30));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(threshold(70, 20))));
    List<ReplicaView> warming =
        List.of(
            ReplicaView.of("r1", clock.instant().minusSeconds(10), true, Map.of(Metric.CPU, 99.0)));
    assertThat(Fixtures.carriedOut(a, warming).action()).isEqualTo(Action.HOLD);
    clock.advance(Duration.ofSeconds(21));
    assertThat(Fixtures.carriedOut(a, warming).action()).isEqualTo(Action.SCALE_UP);
  }

  @Test
  void scaleDownUsesTheHighestRecommendationOfTheWindow() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(60));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(new TargetStrategy(50, 0.1))));
    assertThat(Fixtures.carriedOut(a, atCpu(4, 50)).desired()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(30));
    Decision d = Fixtures.carriedOut(a, atCpu(4, 10));
    assertThat(d.desired()).isEqualTo(4);
    assertThat(d.adjustments()).extracting(Decision.Adjustment::stage).contains("window");
    clock.advance(Duration.ofSeconds(31));
    assertThat(Fixtures.carriedOut(a, atCpu(4, 10)).desired()).isEqualTo(1);
  }

  @Test
  void aCoreGivenBackAnEarlierRunsDecisionsContinuesItsDownWindowWhereItWas() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(60));
    ScalingPolicy p = policy(1, 10, b, cpu(new TargetStrategy(50, 0.1)));
    Autoscaler before = autoscaler(p);
    Decision loaded = Fixtures.carriedOut(before, atCpu(4, 50));
    clock.advance(Duration.ofSeconds(30));
    Decision idle = Fixtures.carriedOut(before, atCpu(4, 10));
    assertThat(idle.desired()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(20));

    Autoscaler recalled = autoscaler(p);
    recalled.recall(loaded);
    recalled.recall(idle);
    Autoscaler fresh = autoscaler(p);
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(4);
    assertThat(Fixtures.carriedOut(fresh, atCpu(4, 10)).desired()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(11));
    // The load of 4 left the window 60 s after it was seen, restart or not.
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(1);
    // Without the history the window started again at the restart.
    assertThat(Fixtures.carriedOut(fresh, atCpu(4, 10)).desired()).isEqualTo(4);
  }

  @Test
  void aHistoryThatEndedAWholeWindowAgoHoldsAScaleInBackAsAFreshCoreDoes() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(60));
    ScalingPolicy p = policy(1, 10, b, cpu(new TargetStrategy(50, 0.1)));
    Decision idle = Fixtures.carriedOut(autoscaler(p), atCpu(4, 10));
    clock.advance(Duration.ofMinutes(2));

    Autoscaler recalled = autoscaler(p);
    recalled.recall(idle);
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(60));
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(1);
  }

  @Test
  void aRecalledRecommendationStillInTheWindowHoldsTheScaleDown() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(60));
    ScalingPolicy p = policy(1, 10, b, cpu(new TargetStrategy(50, 0.1)));
    Decision atFour = Fixtures.carriedOut(autoscaler(p), atCpu(4, 50));
    clock.advance(Duration.ofSeconds(30));
    Decision atTwo = Fixtures.carriedOut(autoscaler(p), atCpu(2, 50));
    clock.advance(Duration.ofSeconds(20));

    Autoscaler recalled = autoscaler(p);
    recalled.recall(atFour);
    recalled.recall(atTwo);
    Decision d = Fixtures.carriedOut(recalled, atCpu(4, 10));
    assertThat(d.desired()).isEqualTo(4);
    assertThat(d.adjustments()).extracting(Decision.Adjustment::stage).contains("window");
    clock.advance(Duration.ofSeconds(11));
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(2);
  }

  @Test
  void aRecalledScaleUpKeepsItsCooldown() {
    Behavior b = Behavior.none().withUpCooldown(Duration.ofSeconds(30));
    ScalingPolicy p = policy(1, 10, b, cpu(new TargetStrategy(50, 0.1)));
    Autoscaler recalled = autoscaler(p);
    recalled.recallScaled(clock.instant().minusSeconds(10), 1, 2);
    Decision d = Fixtures.carriedOut(recalled, atCpu(2, 100));
    assertThat(d.desired()).isEqualTo(2);
    assertThat(d.adjustments()).extracting(Decision.Adjustment::stage).contains("cooldown");
    clock.advance(Duration.ofSeconds(21));
    assertThat(Fixtures.carriedOut(recalled, atCpu(2, 100)).desired()).isEqualTo(4);
  }

  @Test
  void decisionsWithoutAUsableMetricFeedNoWindow() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(60));
    ScalingPolicy p = policy(1, 10, b, cpu(new TargetStrategy(50, 0.1)));
    Decision atTwo = Fixtures.carriedOut(autoscaler(p), atCpu(2, 50));
    clock.advance(Duration.ofSeconds(30));
    Decision paused =
        Decision.hold(clock.instant(), 4, 4, "paused", List.of(), List.of(), List.of());
    clock.advance(Duration.ofSeconds(20));

    Autoscaler recalled = autoscaler(p);
    recalled.recall(atTwo);
    recalled.recall(paused);
    // The window holds the recommendation of 2, not the 4 replicas the pause kept.
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(2);
  }

  @Test
  void pausesAfterAnOldRecommendationDoNotPassForRecentHistory() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(60));
    ScalingPolicy p = policy(1, 10, b, cpu(new TargetStrategy(50, 0.1)));
    Decision usable = Fixtures.carriedOut(autoscaler(p), atCpu(4, 50));
    Autoscaler recalled = autoscaler(p);
    recalled.recall(usable);
    for (int i = 1; i < 3600; i++) {
      clock.advance(Duration.ofSeconds(1));
      recalled.recall(
          Decision.hold(clock.instant(), 4, 4, "paused", List.of(), List.of(), List.of()));
    }
    clock.advance(Duration.ofSeconds(1));
    // The last recommendation is an hour old: hold a scale-in back for a window, as a fresh core.
    assertThat(Fixtures.carriedOut(recalled, atCpu(4, 10)).desired()).isEqualTo(4);
  }

  @Test
  void scaleUpUsesTheLowestRecommendationOfItsWindow() {
    Behavior b = Behavior.none().withUpWindow(Duration.ofSeconds(10));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(new TargetStrategy(50, 0.1))));
    assertThat(Fixtures.carriedOut(a, atCpu(2, 50)).desired()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(5));
    assertThat(Fixtures.carriedOut(a, atCpu(2, 100)).desired()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(6));
    assertThat(Fixtures.carriedOut(a, atCpu(2, 100)).desired()).isEqualTo(4);
  }

  @Test
  void scaleUpIsLimitedPerPeriodAndMaxSelectsTheMostGenerousLimit() {
    Behavior b =
        Behavior.none()
            .withUpLimits(
                RateLimits.of(
                    RateLimits.Select.MAX,
                    RateLimit.replicas(2, Duration.ofSeconds(15)),
                    RateLimit.percent(100, Duration.ofSeconds(15))));
    Autoscaler a = autoscaler(policy(1, 100, b, cpu(new TargetStrategy(10, 0.1))));
    // 1 replica at 100 % of a 10 % target asks for 10; max(1 + 2, 1 * 2) = 3.
    assertThat(Fixtures.carriedOut(a, atCpu(1, 100)).desired()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(5));
    // Still in the same 15 s period that started at 1 replica: no more than 3.
    assertThat(Fixtures.carriedOut(a, atCpu(3, 100)).desired()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(11));
    assertThat(Fixtures.carriedOut(a, atCpu(3, 100)).desired()).isEqualTo(6);
  }

  @Test
  void minSelectTakesTheStricterLimit() {
    Behavior b =
        Behavior.none()
            .withUpLimits(
                RateLimits.of(
                    RateLimits.Select.MIN,
                    RateLimit.replicas(2, Duration.ofSeconds(15)),
                    RateLimit.percent(100, Duration.ofSeconds(15))));
    Autoscaler a = autoscaler(policy(1, 100, b, cpu(new TargetStrategy(10, 0.1))));
    assertThat(Fixtures.carriedOut(a, atCpu(1, 100)).desired()).isEqualTo(2);
  }

  @Test
  void scaleDownIsLimitedPerPeriod() {
    Behavior b =
        Behavior.none()
            .withDownLimits(
                RateLimits.of(
                    RateLimits.Select.MAX, RateLimit.replicas(1, Duration.ofSeconds(30))));
    Autoscaler a = autoscaler(policy(1, 100, b, cpu(new TargetStrategy(50, 0.1))));
    assertThat(Fixtures.carriedOut(a, atCpu(8, 5)).desired()).isEqualTo(7);
    clock.advance(Duration.ofSeconds(10));
    assertThat(Fixtures.carriedOut(a, atCpu(7, 5)).desired()).isEqualTo(7);
    clock.advance(Duration.ofSeconds(21));
    assertThat(Fixtures.carriedOut(a, atCpu(7, 5)).desired()).isEqualTo(6);
  }

  @Test
  void afterAScaleUpNothingChangesUntilTheUpCooldownEnds() {
    Behavior b = Behavior.none().withUpCooldown(Duration.ofSeconds(10));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(threshold(70, 20))));
    assertThat(Fixtures.carriedOut(a, atCpu(1, 90)).desired()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(5));
    Decision held = Fixtures.carriedOut(a, atCpu(2, 90));
    assertThat(held.desired()).isEqualTo(2);
    assertThat(held.reason()).contains("cooldown.up 10s");
    assertThat(Fixtures.carriedOut(a, atCpu(2, 5)).desired()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(5));
    assertThat(Fixtures.carriedOut(a, atCpu(2, 90)).desired()).isEqualTo(3);
  }

  @Test
  void aFreshCoreHoldsTheCountItFoundForAWholeDownWindowBeforeScalingIn() {
    Behavior b = Behavior.none().withDownWindow(Duration.ofSeconds(30));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(threshold(70, 20))));
    Decision first = Fixtures.carriedOut(a, atCpu(4, 5));
    assertThat(first.desired()).isEqualTo(4);
    assertThat(first.reason()).contains("scale-down window 30s");
    clock.advance(Duration.ofSeconds(29));
    assertThat(Fixtures.carriedOut(a, atCpu(4, 5)).desired()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(1));
    assertThat(Fixtures.carriedOut(a, atCpu(4, 5)).desired()).isEqualTo(3);
  }

  @Test
  void aScaleUpTheRuntimeDidNotCarryOutStartsNoCooldown() {
    Behavior b = Behavior.none().withUpCooldown(Duration.ofSeconds(10));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(threshold(70, 20))));
    assertThat(a.decide(atCpu(1, 90)).desired()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    Decision retried = a.decide(atCpu(1, 90));
    assertThat(retried.desired()).isEqualTo(2);
    assertThat(retried.reason()).doesNotContain("cooldown");
  }

  @Test
  void afterAScaleDownOnlyFurtherScaleDownsWait() {
    Behavior b = Behavior.none().withDownCooldown(Duration.ofSeconds(30));
    Autoscaler a = autoscaler(policy(1, 10, b, cpu(threshold(70, 20))));
    assertThat(Fixtures.carriedOut(a, atCpu(4, 5)).desired()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(10));
    assertThat(Fixtures.carriedOut(a, atCpu(3, 5)).desired()).isEqualTo(3);
    assertThat(Fixtures.carriedOut(a, atCpu(3, 95)).desired()).isEqualTo(4);
  }

  @Test
  void recordsInputsProposalsAndAOneLineReason() {
    Autoscaler a = autoscaler(policy(1, 4, Behavior.none(), cpu(threshold(70, 20))));
    Decision d = Fixtures.carriedOut(a, atCpu(2, 80));
    assertThat(d.at()).isEqualTo(clock.instant());
    assertThat(d.inputs()).hasSize(2);
    assertThat(d.proposals())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.metric()).isEqualTo("cpu");
              assertThat(p.utilization()).isEqualTo(80.0);
              assertThat(p.proposed()).isEqualTo(3);
            });
    assertThat(d.line())
        .startsWith("scale-up 2->3")
        .contains("cpu=80.0%/2->3")
        .doesNotContain("\n");
  }

  @Test
  void rejectsNaNAndNegativeReadings() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, Double.NaN)))
        .hasMessageContaining("cpu of replica r1 is NaN");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, -1.0)))
        .hasMessageContaining("finite number >= 0");
  }

  @Test
  void withDemandAPeggedServiceIsSizedToTheRequestsArrivingNotToTheCpuItHas() {
    Behavior demand = Behavior.none().withDemand(true);
    MetricRule cpu = cpu(new TargetStrategy(75, 0.1));
    // Two replicas at 100 % CPU answer 40 requests a second each while 80 a second arrive at
    // each: the demand is twice what they serve, 200 % of two replicas, 6 at 75 %.
    List<ReplicaView> pegged =
        List.of(
            ReplicaView.of(
                "r1",
                LONG_AGO,
                true,
                Map.of(Metric.CPU, 100.0, Metric.RPS, 40.0, Metric.ARRIVALS, 80.0)),
            ReplicaView.of(
                "r2",
                LONG_AGO,
                true,
                Map.of(Metric.CPU, 100.0, Metric.RPS, 40.0, Metric.ARRIVALS, 80.0)));
    Decision d = Fixtures.carriedOut(autoscaler(policy(1, 10, demand, cpu)), pegged);
    assertThat(d.desired()).isEqualTo(6);
    assertThat(d.proposals().get(0).utilization()).isEqualTo(200.0);
    assertThat(d.proposals().get(0).note())
        .isEqualTo("CPU x 2.00: requests arrive 2.00 times as fast as they are answered");

    // The same readings without demand: CPU alone asks for ceil(2 x 100 / 75) = 3.
    Decision cpuOnly = Fixtures.carriedOut(autoscaler(policy(1, 10, Behavior.none(), cpu)), pegged);
    assertThat(cpuOnly.desired()).isEqualTo(3);
    assertThat(cpuOnly.proposals().get(0).note()).isEmpty();
  }

  @Test
  void demandOnlySizesAScaleUpThatCpuAloneAsksFor() {
    Behavior demand = Behavior.none().withDemand(true);
    MetricRule cpu = cpu(new TargetStrategy(75, 0.1));
    // At 60 % CPU the replica is not pegged: its CPU tells the load, and a burst of arrivals in
    // the window (a load that rises) does not scale it out.
    Decision calm =
        Fixtures.carriedOut(
            autoscaler(policy(1, 10, demand, cpu)),
            List.of(
                ReplicaView.of(
                    "r1",
                    LONG_AGO,
                    true,
                    Map.of(Metric.CPU, 60.0, Metric.RPS, 10.0, Metric.ARRIVALS, 20.0))));
    assertThat(calm.desired()).isEqualTo(1);
    assertThat(calm.proposals().get(0).utilization()).isEqualTo(60.0);
    assertThat(calm.proposals().get(0).note()).isEmpty();
  }

  @Test
  void demandWithinTheEstimatesNoiseOrWithoutReadingsLeavesCpuAsItIs() {
    Behavior demand = Behavior.none().withDemand(true);
    MetricRule cpu = cpu(new TargetStrategy(75, 0.1));
    // 5 % more arrivals than answers is below the 10 % a backlog must show.
    List<ReplicaView> noisy =
        List.of(
            ReplicaView.of(
                "r1",
                LONG_AGO,
                true,
                Map.of(Metric.CPU, 90.0, Metric.RPS, 40.0, Metric.ARRIVALS, 42.0)));
    Decision d = Fixtures.carriedOut(autoscaler(policy(1, 10, demand, cpu)), noisy);
    assertThat(d.proposals().get(0).utilization()).isEqualTo(90.0);
    assertThat(d.desired()).isEqualTo(2);
    // No balancer readings (the log cannot be read): CPU alone.
    Decision none =
        Fixtures.carriedOut(
            autoscaler(policy(1, 10, demand, cpu)),
            List.of(ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, 90.0))));
    assertThat(none.proposals().get(0).utilization()).isEqualTo(90.0);
    // Demand is for CPU rules only: a memory rule reads memory as it is.
    Decision memory =
        Fixtures.carriedOut(
            autoscaler(policy(1, 10, demand, memory(new TargetStrategy(75, 0.1)))),
            List.of(
                ReplicaView.of(
                    "r1",
                    LONG_AGO,
                    true,
                    Map.of(Metric.MEMORY, 90.0, Metric.RPS, 10.0, Metric.ARRIVALS, 30.0))));
    assertThat(memory.proposals().get(0).utilization()).isEqualTo(90.0);
  }

  @Test
  void aReadyReplicaWithoutARequestRateHoldsAScaleDownOnRps() {
    Autoscaler a =
        autoscaler(
            policy(1, 4, Behavior.none(), new MetricRule(Metric.RPS, new TargetStrategy(50, 0.1))));
    List<ReplicaView> replicas =
        List.of(
            ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.RPS, 10.0)),
            ReplicaView.of("r2", LONG_AGO, true, Map.of(Metric.RPS, 10.0)),
            ReplicaView.of("r3", LONG_AGO, true, Map.of()));
    Decision d = Fixtures.carriedOut(a, replicas);
    assertThat(d.action()).isEqualTo(Action.HOLD);
    assertThat(d.proposals().get(0).note())
        .isEqualTo(
            "1 ready replica(s) without a sample: rps has no ceiling to assume, so it holds");

    // Once every replica reads, the same load scales in: 20 rps over 3 at 50 each needs 1.
    List<ReplicaView> sampled =
        List.of(
            ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.RPS, 10.0)),
            ReplicaView.of("r2", LONG_AGO, true, Map.of(Metric.RPS, 10.0)),
            ReplicaView.of("r3", LONG_AGO, true, Map.of(Metric.RPS, 0.0)));
    Decision after = Fixtures.carriedOut(a, sampled);
    assertThat(after.desired()).isEqualTo(1);
    assertThat(after.reason()).contains("rps 6.7 rps over 3 replica(s)");
  }

  @Test
  void latencyAboveItsBoundScalesOutAndBelowItLetsTheOtherRulesScaleIn() {
    MetricRule latency =
        new MetricRule(
            Metric.LATENCY,
            new StepStrategy(
                List.of(
                    new StepStrategy.Step(
                        200, Double.POSITIVE_INFINITY, true, Change.replicas(1)))));
    Autoscaler a = autoscaler(policy(1, 4, Behavior.none(), cpu(threshold(70, 20)), latency));
    Decision slow =
        Fixtures.carriedOut(
            a,
            List.of(
                ReplicaView.of(
                    "r1", LONG_AGO, true, Map.of(Metric.CPU, 30.0, Metric.LATENCY, 450.0)),
                ReplicaView.of(
                    "r2", LONG_AGO, true, Map.of(Metric.CPU, 30.0, Metric.LATENCY, 350.0))));
    assertThat(slow.desired()).isEqualTo(3);
    assertThat(slow.reason()).contains("latency 400.0 ms over 2 replica(s)");
    Decision fast =
        Fixtures.carriedOut(
            a,
            List.of(
                ReplicaView.of("r1", LONG_AGO, true, Map.of(Metric.CPU, 5.0, Metric.LATENCY, 20.0)),
                ReplicaView.of("r2", LONG_AGO, true, Map.of(Metric.CPU, 5.0, Metric.LATENCY, 20.0)),
                ReplicaView.of("r3", LONG_AGO, true, Map.of(Metric.CPU, 5.0))));
    assertThat(fast.desired()).isEqualTo(2);
  }
}
