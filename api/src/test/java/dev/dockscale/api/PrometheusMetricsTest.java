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
    metrics.onPass(
        new Pass(List.of(view("web", d, problems, replicas)), true, Duration.ofMillis(5)));
  }

  private static ServiceView view(
      String service, Decision d, List<String> problems, Replica... replicas) {
    ServiceStatus s = new ServiceStatus(service, List.of(replicas), d, List.of(), problems);
    return new ServiceView(s, Map.of(), Control.NONE, 1, 4);
  }

  @Test
  void aHoldAtThePendingTargetKeepsTheScaleUpsTimer() {
    Decision up = Decision.scaleTo(T0, 2, 2, 4, "scale up", List.of(), List.of(), List.of());
    metrics.onDecision(new LoggedDecision(1, "web", up, null, null));
    clock.advance(Duration.ofSeconds(1));
    Decision hold =
        Decision.hold(
            clock.instant(), 4, 2, "hold", FakeSteering.cpuAt(50, 4), List.of(), List.of());
    metrics.onDecision(new LoggedDecision(2, "web", hold, null, null));
    Replica a = FakeSteering.replica("a", true, T0);
    Replica b = FakeSteering.replica("b", true, T0);
    pass(
        hold,
        List.of(),
        a,
        b,
        FakeSteering.replica("c", false, T0),
        FakeSteering.replica("d", false, T0));
    clock.advance(Duration.ofSeconds(2));
    pass(
        hold,
        List.of(),
        a,
        b,
        FakeSteering.replica("c", true, T0),
        FakeSteering.replica("d", true, T0));
    assertThat(metrics.scrape())
        .contains("dockscale_action_latency_seconds_count{action=\"scale-up\",service=\"web\"} 1")
        .contains("dockscale_action_latency_seconds_sum{action=\"scale-up\",service=\"web\"} 3.0");
  }

  @Test
  void aDecisionToAnotherTargetReplacesThePendingOne() {
    Decision up = Decision.scaleTo(T0, 2, 2, 4, "scale up", List.of(), List.of(), List.of());
    metrics.onDecision(new LoggedDecision(1, "web", up, null, null));
    Decision hold =
        Decision.hold(T0, 3, 2, "hold", FakeSteering.cpuAt(50, 3), List.of(), List.of());
    metrics.onDecision(new LoggedDecision(2, "web", hold, null, null));
    pass(
        hold,
        List.of(),
        FakeSteering.replica("a", true, T0),
        FakeSteering.replica("b", true, T0),
        FakeSteering.replica("c", true, T0),
        FakeSteering.replica("d", true, T0));
    assertThat(metrics.scrape()).doesNotContain("dockscale_action_latency_seconds_count");
  }

  @Test
  void anActionsLatencyHasAHandfulOfServiceLevelBuckets() {
    Decision up = ApiServerTest.scaleUp(T0);
    metrics.onDecision(new LoggedDecision(1, "web", up, null, null));
    clock.advance(Duration.ofMillis(2500));
    pass(up, List.of(), FakeSteering.replica("a", true, T0), FakeSteering.replica("b", true, T0));
    List<String> buckets =
        metrics
            .scrape()
            .lines()
            .filter(l -> l.startsWith("dockscale_action_latency_seconds_bucket"))
            .toList();
    assertThat(buckets).hasSize(PrometheusMetrics.LATENCY_BUCKETS.length + 1);
    assertThat(buckets)
        .anyMatch(l -> l.contains("le=\"2.0\"") && l.endsWith(" 0"))
        .anyMatch(l -> l.contains("le=\"3.0\"") && l.endsWith(" 1"))
        .anyMatch(l -> l.contains("le=\"120.0\""));
  }

  @Test
  void theSeriesOfARemovedServiceGo() {
    Decision up = ApiServerTest.scaleUp(T0);
    Decision hold = Decision.hold(T0, 1, 1, "hold", List.of(), List.of(), List.of());
    Replica r = FakeSteering.replica("a", true, T0);
    metrics.onDecision(new LoggedDecision(1, "db", up, null, null));
    metrics.onPass(
        new Pass(
            List.of(view("web", hold, List.of(), r), view("db", up, List.of("image gone"), r)),
            true,
            Duration.ofMillis(5)));
    assertThat(metrics.scrape()).contains("service=\"db\"");
    metrics.onPass(new Pass(List.of(view("web", hold, List.of(), r)), true, Duration.ofMillis(5)));
    assertThat(metrics.scrape()).doesNotContain("service=\"db\"").contains("service=\"web\"");
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
