package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.policy.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NginxRequestMetricsTest {

  private static final Instant T0 = Instant.parse("2026-11-26T21:30:00Z");
  private static final String FILE = "2026-11-26-2130.log";

  /** The log's tmpfs, small for the test. */
  private static final long LOG_BYTES = 100_000;

  private final FakeRequestLog log;
  private final ManualClock clock = new ManualClock(T0);
  private final NginxRequestMetrics source;

  private final MeasuredReplica web1 = new MeasuredReplica("id-1", 0.5, 0, "web", "10.0.0.5");
  private final MeasuredReplica web2 = new MeasuredReplica("id-2", 0.5, 0, "web", "10.0.0.6");
  private final MeasuredReplica api1 = new MeasuredReplica("id-3", 0.5, 0, "api", "10.0.0.7");

  NginxRequestMetricsTest() throws IOException {
    log = new FakeRequestLog();
    source = new NginxRequestMetrics(new RequestLogTail(log::port), clock, false, LOG_BYTES);
  }

  @AfterEach
  void close() {
    source.close();
    log.close();
  }

  /** {@code n} requests to {@code host} in the second starting at {@code second}, ms each. */
  private void requests(Instant second, String service, String host, int n, int ms) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      long end = second.toEpochMilli() + i * (1000L / n);
      b.append(
          String.format(
              "%d.%03d|%s|200|0.%03d|%s:8000|0.%03d\n",
              end / 1000, end % 1000, service, ms + 1, host, ms));
    }
    log.append(FILE, b.toString());
  }

  @Test
  void readsRatesInFlightAndP95PerReplicaOnceAWholeWindowWasRead() {
    source.read(List.of(web1, web2, api1));
    source.poll(); // primes at T0
    assertThat(source.read(List.of(web1, web2, api1))).isEmpty();
    assertThat(source.troubles())
        .singleElement()
        .satisfies(t -> assertThat(t.metrics()).contains(Metric.RPS));
    for (int s = 0; s < 4; s++) {
      Instant second = T0.plusSeconds(s);
      requests(second, "web", "10.0.0.5", 40, 20);
      requests(second, "web", "10.0.0.6", 10, 100);
    }
    clock.set(T0.plusMillis(4_100));
    source.poll();
    Map<String, dev.dockscale.metrics.ReplicaMetrics> r = source.read(List.of(web1, web2, api1));
    assertThat(r.get("id-1").readings())
        .containsEntry(Metric.RPS, 40.0)
        .containsEntry(Metric.LATENCY, 20.0);
    assertThat(r.get("id-1").readings().get(Metric.INFLIGHT))
        .isCloseTo(0.8, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(r.get("id-2").readings())
        .containsEntry(Metric.RPS, 10.0)
        .containsEntry(Metric.LATENCY, 100.0);
    // api had no request: 0 requests per second, nothing in flight, no latency to speak of.
    assertThat(r.get("id-3").readings())
        .containsEntry(Metric.RPS, 0.0)
        .doesNotContainKey(Metric.LATENCY);
    var web = source.service("web").orElseThrow();
    assertThat(web.load().rps()).isEqualTo(50.0);
    assertThat(web.load().requests()).isEqualTo(150);
    assertThat(web.end()).isEqualTo(T0.plusSeconds(4));
    assertThat(source.troubles()).isEmpty();
  }

  @Test
  void aReplicaFirstSeenWithinTheWindowHasNoReadingYet() {
    source.poll();
    clock.set(T0.plusSeconds(4));
    source.poll();
    MeasuredReplica newcomer = new MeasuredReplica("id-9", 0.5, 0, "web", "10.0.0.9");
    assertThat(source.read(List.of(newcomer))).isEmpty();
    clock.set(T0.plusSeconds(9));
    source.poll();
    // Reads of other replicas meanwhile (between ticks, the ready ones only) do not forget it.
    assertThat(source.read(List.of(web1))).isEmpty();
    assertThat(source.read(List.of(newcomer))).containsKey("id-9");
    // Asked about again after a long tick (a 15 s interval): still known, still read.
    clock.set(T0.plusSeconds(24));
    source.poll();
    assertThat(source.read(List.of(newcomer))).containsKey("id-9");
    // Not asked about for longer than ABSENT: new again.
    clock.set(T0.plusSeconds(24).plus(NginxRequestMetrics.ABSENT).plusSeconds(1));
    source.poll();
    assertThat(source.read(List.of(newcomer))).isEmpty();
  }

  @Test
  void aFailedOrStaleReadLeavesEveryReplicaWithoutAReadingAndSaysWhy() {
    source.read(List.of(web1));
    source.poll();
    clock.set(T0.plusSeconds(5));
    source.poll();
    assertThat(source.read(List.of(web1))).containsKey("id-1");

    log.failing.put("", 502);
    clock.advance(Duration.ofSeconds(1));
    source.poll();
    assertThat(source.read(List.of(web1))).isEmpty();
    assertThat(source.troubles())
        .singleElement()
        .satisfies(t -> assertThat(t.why()).contains("request log cannot be read").contains("502"));

    log.failing.clear();
    clock.advance(Duration.ofSeconds(1));
    source.poll();
    assertThat(source.read(List.of(web1))).containsKey("id-1");
    clock.advance(Duration.ofSeconds(4)); // the poller stalled
    assertThat(source.read(List.of(web1))).isEmpty();
    assertThat(source.troubles())
        .singleElement()
        .satisfies(t -> assertThat(t.why()).contains("last read"));
  }

  @Test
  void aNearlyFullLogGivesNoReadingRatherThanTooLowOnes() {
    source.read(List.of(web1));
    source.poll();
    clock.set(T0.plusSeconds(5));
    log.append("2026-11-26-2129.log", "x".repeat((int) (LOG_BYTES * 95 / 100)));
    source.poll();
    assertThat(source.read(List.of(web1))).isEmpty();
    assertThat(source.troubles())
        .singleElement()
        .satisfies(t -> assertThat(t.why()).contains("tmpfs"));
  }
}
