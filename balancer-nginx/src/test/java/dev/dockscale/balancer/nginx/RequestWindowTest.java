package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dockscale.balancer.nginx.RequestWindow.ServiceLoad;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestWindowTest {

  private static final long T0 = 1_795_728_600_000L;

  private static RequestLine line(long endMillis, String service, String host, long upstreamMs) {
    return new RequestLine(endMillis, service, 200, upstreamMs + 1, host + ":8000", upstreamMs);
  }

  @Test
  void ratesInFlightAndPercentilesPerReplicaAndPerServiceOverTheWholeSecondsBeforeNow() {
    RequestWindow w = new RequestWindow(3);
    w.coveredFrom(T0);
    // 3 s of 100 requests per second to .5 (10 ms each) and 50 to .6 (1..50 ms).
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < 100; i++) {
        w.add(line(T0 + s * 1000 + i * 10, "web", "10.0.0.5", 10));
      }
      for (int i = 0; i < 50; i++) {
        w.add(line(T0 + s * 1000 + i * 20, "web", "10.0.0.6", i + 1));
      }
    }
    // Requests of the second that is not over yet do not count.
    w.add(line(T0 + 3000, "web", "10.0.0.5", 10));
    Map<String, ServiceLoad> loads = w.loads(T0 + 3500);
    RequestLoad five = loads.get("web").replicas().get("10.0.0.5");
    assertThat(five.rps()).isEqualTo(100.0);
    assertThat(five.inflight()).isCloseTo(1.0, within(1e-9)); // 100/s x 10 ms
    assertThat(five.p95Millis().getAsDouble()).isEqualTo(10.0);
    RequestLoad six = loads.get("web").replicas().get("10.0.0.6");
    assertThat(six.rps()).isEqualTo(50.0);
    assertThat(six.p50Millis().getAsDouble()).isBetween(25.0, 26.0);
    assertThat(six.p95Millis().getAsDouble()).isBetween(47.0, 48.0);
    RequestLoad total = loads.get("web").total();
    assertThat(total.requests()).isEqualTo(450);
    assertThat(total.rps()).isEqualTo(150.0);
  }

  @Test
  void arrivalsAreTheRequestRateWithoutABacklogAndTheDemandWithOne() {
    RequestWindow w = new RequestWindow(3);
    w.coveredFrom(T0);
    // .5 answers 20 requests a second as they come, each in 10 ms.
    for (int i = 0; i < 60; i++) {
      w.add(line(T0 + i * 50 + 10, "web", "10.0.0.5", 10));
    }
    // .6 answers 20 a second too, but 40 a second arrive: the n-th answer, at 50 ms x n, is
    // of a request that came at 25 ms x n, and waited as long again.
    for (int i = 1; i <= 60; i++) {
      long end = T0 + i * 50 - 1;
      w.add(line(end, "web", "10.0.0.6", i * 25L));
    }
    Map<String, RequestLoad> replicas = w.loads(T0 + 3000).get("web").replicas();
    assertThat(replicas.get("10.0.0.5").rps()).isEqualTo(20.0);
    assertThat(replicas.get("10.0.0.5").arrivals()).isCloseTo(20.0, within(0.5));
    assertThat(replicas.get("10.0.0.6").rps()).isEqualTo(20.0);
    assertThat(replicas.get("10.0.0.6").arrivals()).isCloseTo(40.0, within(1.0));
  }

  @Test
  void arrivalsOfAFewRequestsAreTheRequestRate() {
    RequestWindow w = new RequestWindow(1);
    w.coveredFrom(T0);
    for (int i = 0; i < RequestWindow.FEW - 1; i++) {
      w.add(line(T0 + 900, "web", "10.0.0.5", 10 + i * 90L));
    }
    RequestLoad five = w.loads(T0 + 1000).get("web").replicas().get("10.0.0.5");
    assertThat(five.arrivals()).isEqualTo(five.rps());
  }

  @Test
  void countsNginxsOwnAnswersForTheServiceButNoReplica() {
    RequestWindow w = new RequestWindow(1);
    w.coveredFrom(T0);
    w.add(new RequestLine(T0 + 100, "api", 503, 0, "", -1));
    w.add(new RequestLine(T0 + 200, "api", 503, 0, "", -1));
    ServiceLoad api = w.loads(T0 + 1000).get("api");
    assertThat(api.total().rps()).isEqualTo(2.0);
    assertThat(api.total().errors()).isEqualTo(2);
    assertThat(api.total().p95Millis()).isEmpty();
    assertThat(api.replicas()).isEmpty();
  }

  @Test
  void givesNothingUntilAWholeWindowWasRead() {
    RequestWindow w = new RequestWindow(3);
    w.coveredFrom(T0 + 200); // read from the middle of a second: that second is not whole
    w.add(line(T0 + 500, "web", "10.0.0.5", 1));
    w.add(line(T0 + 1_500, "web", "10.0.0.5", 1));
    assertThat(w.loads(T0 + 3_900)).isEmpty();
    assertThat(w.covers(T0 + 3_900)).isFalse();
    assertThat(w.covers(T0 + 4_000)).isTrue();
    // The window is the three whole seconds after the partly read one.
    assertThat(w.loads(T0 + 4_000).get("web").total().requests()).isEqualTo(1);
  }

  @Test
  void dropsSecondsThatLeftTheWindowAndCountsLinesThatComeTooLate() {
    RequestWindow w = new RequestWindow(2);
    w.coveredFrom(T0);
    w.add(line(T0 + 100, "web", "10.0.0.5", 1));
    assertThat(w.loads(T0 + 2_000).get("web").total().requests()).isEqualTo(1);
    assertThat(w.loads(T0 + 3_000)).doesNotContainKey("web");
    w.add(line(T0 + 500, "web", "10.0.0.5", 1));
    assertThat(w.late()).isEqualTo(1);
    assertThat(w.loads(T0 + 4_000)).isEmpty();
  }
}
