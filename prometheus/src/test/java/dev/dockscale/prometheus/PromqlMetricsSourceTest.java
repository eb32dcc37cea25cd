package dev.dockscale.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readings from a Prometheus server's instant queries: a fake one on 127.0.0.1 answers. */
class PromqlMetricsSourceTest {

  private static final String WEB = "a".repeat(64);
  private static final String API = "b".repeat(64);
  private static final Instant NOW = Instant.parse("2026-11-27T04:00:00Z");

  private HttpServer server;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int status = 200;
  private PromqlMetricsSource source;
  private final ManualClock clock = new ManualClock(NOW);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/api/v1/query",
        exchange -> {
          String query =
              URLDecoder.decode(
                  exchange.getRequestURI().getRawQuery().substring("query=".length()),
                  StandardCharsets.UTF_8);
          queries.add(query);
          String kind =
              query.contains("rate(") ? "cpu" : query.contains("timestamp(") ? "at" : "memory";
          byte[] body = answers.getOrDefault(kind, vector()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    source =
        new PromqlMetricsSource(
            uri,
            "container_label_dockscale_project=\"shop\"",
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            clock);
  }

  @AfterEach
  void stop() {
    source.close();
    server.stop(0);
  }

  @Test
  void cpuIsTheRateOverTheLimitAndMemoryTheWorkingSetOverTheLimitSampledWhenScraped() {
    answers.put("cpu", vector(WEB, "0.25", API, "0.1"));
    answers.put("memory", vector(WEB, "134217728", API, "1048576"));
    double scraped = NOW.minusSeconds(2).toEpochMilli() / 1000.0;
    answers.put("at", vector(WEB, Double.toString(scraped), API, Double.toString(scraped)));

    source.poll();
    Map<String, ReplicaMetrics> read =
        source.read(
            List.of(new MeasuredReplica(WEB, 0.5, 256L << 20), new MeasuredReplica(API, 0, 0)));

    assertThat(read).containsOnlyKeys(WEB);
    assertThat(read.get(WEB).readings())
        .containsEntry(Metric.CPU, 50.0)
        .containsEntry(Metric.MEMORY, 50.0);
    assertThat(read.get(WEB).sampledAt()).isEqualTo(NOW.minusSeconds(2));
    assertThat(source.troubles()).isEmpty();
    assertThat(queries)
        .contains(
            "max by (id) (sum without (cpu) (rate(container_cpu_usage_seconds_total{container_label_dockscale_project=\"shop\"}[10s])))");
  }

  @Test
  void aSeriesScrapedLongerAgoThanStaleAfterOrMissingOrNotANumberHasNoReading() {
    answers.put("cpu", vector(WEB, "0.25", API, "NaN"));
    answers.put("memory", vector(WEB, "1", API, "+Inf"));
    answers.put(
        "at",
        vector(
            WEB,
            Double.toString(NOW.minusSeconds(16).toEpochMilli() / 1000.0),
            API,
            Double.toString(NOW.toEpochMilli() / 1000.0)));

    source.poll();
    List<MeasuredReplica> replicas =
        List.of(
            new MeasuredReplica(WEB, 1, 1 << 20),
            new MeasuredReplica(API, 1, 1 << 20),
            new MeasuredReplica("c".repeat(64), 1, 1 << 20));

    assertThat(source.read(replicas)).isEmpty();
    assertThat(source.troubles()).hasSize(1);
    assertThat(source.troubles().get(0).why())
        .doesNotContain("no series")
        .contains("1 replica(s) last scraped up to 16 s ago, more than stale-after 15 s")
        .as("a series without a rate yet: not just started only after stale-after")
        .doesNotContain("without a CPU rate");

    // Still without a series, or a rate, past stale-after: not just started, a trouble.
    clock.advance(Duration.ofSeconds(16));
    source.read(replicas);
    assertThat(source.troubles().get(0).why())
        .contains("1 of 3 replica(s) have had no series for more than stale-after 15 s");
  }

  @Test
  void aServerThatFailsIsATroubleAndTheLastAnswerStandsUntilItIsStale() {
    answers.put("cpu", vector(WEB, "0.5"));
    answers.put("memory", vector(WEB, "1"));
    answers.put("at", vector(WEB, Double.toString(NOW.minusSeconds(1).toEpochMilli() / 1000.0)));
    source.poll();
    status = 503;
    answers.put("cpu", "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"busy\"}");

    source.poll();

    assertThat(source.read(List.of(new MeasuredReplica(WEB, 1, 0)))).containsOnlyKeys(WEB);
    assertThat(source.troubles()).hasSize(1);
    assertThat(source.troubles().get(0).why()).contains("HTTP 503").contains("busy");
  }

  @Test
  void aServerBehindAPathPrefixIsAskedUnderIt() throws IOException {
    server.createContext(
        "/prom/api/v1/query",
        exchange -> {
          queries.add("under the prefix");
          byte[] body = vector().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    try (PromqlMetricsSource prefixed =
        new PromqlMetricsSource(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prom"),
            "x=\"y\"",
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Clock.fixed(NOW, ZoneOffset.UTC))) {
      prefixed.poll();
    }
    assertThat(queries).containsExactly("under the prefix", "under the prefix", "under the prefix");
  }

  @Test
  void aProjectNameIsEscapedInsideItsLabelMatcher() {
    assertThat(PromqlMetricsSource.escape("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
  }

  /** A vector answer: pairs of container id and value. */
  private static String vector(String... idAndValue) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < idAndValue.length; i += 2) {
      if (result.length() > 0) {
        result.append(',');
      }
      result
          .append("{\"metric\":{\"id\":\"/docker/")
          .append(idAndValue[i])
          .append("\"},\"value\":[1764216000.0,\"")
          .append(idAndValue[i + 1])
          .append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + result
        + "]}}";
  }
}
