package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ReplicaView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionLogTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static LoggedDecision at(String service, int second) {
    return new LoggedDecision(
        0,
        service,
        Decision.hold(T0.plusSeconds(second), 1, 1, "hold", List.of(), List.of(), List.of()),
        null,
        null);
  }

  @Test
  void keepsTheNewestUpToItsCapacity() {
    DecisionLog log = new DecisionLog(3);
    for (int i = 0; i < 5; i++) {
      log.append(at("web", i));
    }
    assertThat(log.query(null, null, null, 10).decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(5L, 4L, 3L);
  }

  @Test
  void keepsNoMoreReplicaInputsThanItsBudgetButAlwaysTheNewestDecision() {
    DecisionLog log = new DecisionLog(100, 10);
    for (int i = 0; i < 5; i++) {
      log.append(withInputs(i, 4));
    }
    // 4 inputs each: two decisions fit in 10, a third would not.
    assertThat(log.query(null, null, null, 10).decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(5L, 4L);
    log.append(withInputs(5, 30));
    assertThat(log.query(null, null, null, 10).decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(6L);
    log.append(withInputs(6, 4));
    assertThat(log.query(null, null, null, 10).decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(7L);
  }

  private static LoggedDecision withInputs(int second, int replicas) {
    List<ReplicaView> views = new java.util.ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      views.add(ReplicaView.of("r" + r, T0, true, java.util.Map.of(Metric.CPU, 50.0)));
    }
    return new LoggedDecision(
        0,
        "web",
        Decision.hold(
            T0.plusSeconds(second), replicas, replicas, "hold", List.of(), List.of(), views),
        null,
        null);
  }

  @Test
  void pagesNewestFirstByServiceAndSince() {
    DecisionLog log = new DecisionLog(100);
    for (int i = 0; i < 10; i++) {
      log.append(at(i % 2 == 0 ? "web" : "api", i));
    }
    DecisionLog.Page first = log.query("web", T0.plusSeconds(2), null, 2);
    assertThat(first.decisions()).extracting(LoggedDecision::seq).containsExactly(9L, 7L);
    DecisionLog.Page second = log.query("web", T0.plusSeconds(2), first.next(), 2);
    assertThat(second.decisions()).extracting(LoggedDecision::seq).containsExactly(5L, 3L);
    assertThat(second.next()).isNull();
  }

  @Test
  void aRestoredHistoryIsContinuedNotRenumbered() {
    DecisionLog log = new DecisionLog(100);
    log.restore(new LoggedDecision(41, "web", at("web", 0).decision(), null, null));
    assertThat(log.append(at("web", 1)).seq()).isEqualTo(42);
  }

  @Test
  void aRestoredSequenceThatDoesNotFollowTheLastIsRenumberedSoPagesNeverOverlap() {
    DecisionLog log = new DecisionLog(100);
    log.restore(new LoggedDecision(5, "web", at("web", 0).decision(), null, null));
    log.restore(new LoggedDecision(5, "web", at("web", 1).decision(), null, null));
    log.restore(new LoggedDecision(3, "web", at("web", 2).decision(), null, null));
    log.restore(new LoggedDecision(3_000_000_000L, "web", at("web", 3).decision(), null, null));
    assertThat(log.append(at("web", 4)).seq()).isEqualTo(3_000_000_001L);
    DecisionLog.Page first = log.query(null, null, null, 2);
    DecisionLog.Page second = log.query(null, null, first.next(), 10);
    assertThat(first.decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(3_000_000_001L, 3_000_000_000L);
    assertThat(second.decisions()).extracting(LoggedDecision::seq).containsExactly(7L, 6L, 5L);
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> new DecisionLog(10).query(null, null, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
