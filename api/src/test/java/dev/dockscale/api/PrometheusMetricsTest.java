package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.engine.Control;
import dev.dockscale.engine.LoggedDecision;
import dev.dockscale.engine.Pass;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.engine.ServiceView;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics derived from passes and decisions, with a manual clock. */
class PrometheusMetricsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final PrometheusMetrics metrics = new PrometheusMetrics(clock);

  private void pass(Decision d, List<String> problems, Replica... replicas) {
    ServiceStatus s = new ServiceStatus("web", List.of(replicas), d, List.of(), problems);
    metrics.onPass(
        new Pass(
            List.of(new ServiceView(s, Map.of(), Control.NONE, 1, 4)), true, Duration.ofMillis(5)));
  }

  @Test
  void anActionsLatencyRunsFromTheDecisionToItsReplicasServing() {
    Decision up = ApiServerTest.scaleUp(T0);
    metrics.onDecision(new LoggedDecision(1, "web", up, null, null));
    clock.advance(Duration.ofMillis(800));
    pass(up, List.of(), FakeSteering.replica("a", true, T0), FakeSteering.replica("b", false, T0));
    assertThat(metrics.scrape()).doesNotContain("dockscale_action_latency_seconds_count");

    clock.advance(Duration.ofMillis(1700));
    pass(up, List.of(), FakeSteering.replica("a", true, T0), FakeSteering.replica("b", true, T0));
    assertThat(metrics.scrape())
        .contains("dockscale_action_latency_seconds_count{action=\"scale-up\",service=\"web\"} 1")
        .contains("dockscale_action_latency_seconds_sum{action=\"scale-up\",service=\"web\"} 2.5");
  }

  @Test
  void aProblemIsCountedOnceWhenItAppearsByKind() {
    Decision hold = Decision.hold(T0, 1, 1, "hold", List.of(), List.of(), List.of());
    Replica r = FakeSteering.replica("a", true, T0);
    pass(hold, List.of("image app:2 not found"), r);
    pass(hold, List.of("image app:2 not found"), r);
    pass(hold, List.of("crash loop: 3 failures, next start in 4s"), r);
    assertThat(metrics.scrape())
        .contains("dockscale_failures_total{kind=\"image\",service=\"web\"} 1.0")
        .contains("dockscale_failures_total{kind=\"crash-loop\",service=\"web\"} 1.0");
  }

  @Test
  void aDecisionsReasonKindIsWhatShapedItLast() {
    Decision cooled =
        Decision.hold(
            T0,
            2,
            2,
            "hold (cooldown)",
            FakeSteering.cpuAt(90, 3),
            List.of(new Decision.Adjustment("cooldown", 3, 2, "last scale-up 1s ago")),
            List.of());
    assertThat(PrometheusMetrics.reasonKind(cooled)).isEqualTo("cooldown");
    assertThat(PrometheusMetrics.reasonKind(ApiServerTest.scaleUp(T0))).isEqualTo("metrics");
    assertThat(
            PrometheusMetrics.reasonKind(
                Decision.hold(T0, 1, 1, "no usable metric", List.of(), List.of(), List.of())))
        .isEqualTo("no-data");
  }
}
