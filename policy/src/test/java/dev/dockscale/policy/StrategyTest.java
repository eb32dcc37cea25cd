package dev.dockscale.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.metrics.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyTest {

  @Test
  void thresholdAddsAStepAboveUpRemovesOneBelowDownAndHoldsBetween() {
    ThresholdStrategy t = new ThresholdStrategy(70, 20, Change.replicas(1));
    assertThat(t.propose(70.1, 2, 2)).isEqualTo(3);
    assertThat(t.propose(70, 2, 2)).isEqualTo(2);
    assertThat(t.propose(20, 2, 2)).isEqualTo(2);
    assertThat(t.propose(19.9, 2, 2)).isEqualTo(1);
  }

  @Test
  void thresholdStepInPercentRoundsUpToAtLeastOneReplica() {
    ThresholdStrategy t = new ThresholdStrategy(70, 20, Change.percent(50));
    assertThat(t.propose(90, 1, 1)).isEqualTo(2);
    assertThat(t.propose(90, 4, 4)).isEqualTo(6);
    assertThat(t.propose(90, 5, 5)).isEqualTo(8);
    assertThat(t.propose(5, 4, 4)).isEqualTo(2);
  }

  @Test
  void targetIsProportionalOutsideTheToleranceBand() {
    TargetStrategy t = new TargetStrategy(50, 0.1);
    assertThat(t.propose(100, 2, 2)).isEqualTo(4);
    assertThat(t.propose(75, 2, 2)).isEqualTo(3);
    assertThat(t.propose(10, 4, 4)).isEqualTo(1);
    assertThat(t.propose(0, 4, 4)).isEqualTo(0);
  }

  @Test
  void targetHoldsInsideTheToleranceBand() {
    TargetStrategy t = new TargetStrategy(50, 0.1);
    assertThat(t.propose(54.9, 3, 3)).isEqualTo(3);
    assertThat(t.propose(45.1, 3, 3)).isEqualTo(3);
    assertThat(t.propose(56, 3, 3)).isEqualTo(4);
  }

  @Test
  void targetDoesNotRoundAWholeRatioUp() {
    assertThat(new TargetStrategy(70, 0).propose(70.0 * 3 / 3, 3, 3)).isEqualTo(3);
    assertThat(new TargetStrategy(60, 0).propose(120, 3, 3)).isEqualTo(6);
  }

  @Test
  void stepPicksTheRangeTheMetricIsIn() {
    StepStrategy s =
        new StepStrategy(
            List.of(
                new StepStrategy.Step(90, Double.POSITIVE_INFINITY, true, Change.replicas(3)),
                new StepStrategy.Step(70, 90, true, Change.replicas(1)),
                new StepStrategy.Step(0, 20, false, Change.percent(50))));
    assertThat(s.propose(95, 2, 2)).isEqualTo(5);
    assertThat(s.propose(75, 2, 2)).isEqualTo(3);
    assertThat(s.propose(50, 2, 2)).isEqualTo(2);
    assertThat(s.propose(10, 4, 4)).isEqualTo(2);
  }

  @Test
  void stepRangesMayNotOverlap() {
    assertThatThrownBy(
            () ->
                new StepStrategy(
                    List.of(
                        new StepStrategy.Step(50, 90, true, Change.replicas(1)),
                        new StepStrategy.Step(80, 100, true, Change.replicas(2)))))
        .hasMessageContaining("overlap");
  }

  @Test
  void thresholdsMustLeaveAGap() {
    assertThatThrownBy(() -> new ThresholdStrategy(20, 20, Change.replicas(1)))
        .hasMessageContaining("down < up");
  }

  @Test
  void changeParsesReplicasAndPercent() {
    assertThat(Change.parse("2")).isEqualTo(Change.replicas(2));
    assertThat(Change.parse("50%")).isEqualTo(Change.percent(50));
    assertThatThrownBy(() -> Change.parse("two")).hasMessageContaining("not a step");
    assertThatThrownBy(() -> Change.parse("2d")).hasMessageContaining("'2d' is not a step");
    assertThatThrownBy(() -> Change.parse("1.5")).hasMessageContaining("whole number");
  }

  @Test
  void aPolicyWantsMoreWhenAnyRuleAsksForMoreBelowMax() {
    ScalingPolicy p =
        Fixtures.policy(
            1,
            3,
            Behavior.none(),
            Fixtures.cpu(Fixtures.threshold(70, 20)),
            Fixtures.memory(Fixtures.threshold(80, 30)));
    assertThat(p.wantsMore(java.util.Map.of(Metric.CPU, 75.0), 1)).isTrue();
    assertThat(p.wantsMore(java.util.Map.of(Metric.CPU, 50.0, Metric.MEMORY, 85.0), 2)).isTrue();
    assertThat(p.wantsMore(java.util.Map.of(Metric.CPU, 50.0, Metric.MEMORY, 50.0), 2)).isFalse();
    assertThat(p.wantsMore(java.util.Map.of(Metric.CPU, 99.0), 3)).as("at max").isFalse();
    assertThat(p.wantsMore(java.util.Map.of(), 1)).as("no readings").isFalse();
  }
}
