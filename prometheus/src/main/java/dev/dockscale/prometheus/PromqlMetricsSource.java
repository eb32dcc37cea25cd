package dev.dockscale.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory per replica from a Prometheus server's HTTP API, under cAdvisor's names — what
 * {@code dockscale agent} serves on each node, or cAdvisor itself. Three instant queries a poll
 * (every {@link #POLL}, on its own thread, so {@link #read} never waits on the network): CPU as the
 * rate of {@code container_cpu_usage_seconds_total} over a window, the working set, and when each
 * series was last scraped. A replica whose series is missing, not a finite number, or last scraped
 * longer ago than {@code staleAfter} has no reading, as with any source; when the server does not
 * answer, the last answer ages out the same way and {@link #troubles} says why.
 */
public final class PromqlMetricsSource implements MetricsSource {

  private static final Logger LOG = LoggerFactory.getLogger(PromqlMetricsSource.class);

  static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI server;
  private final String selector;
  private final Duration window;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService poller;
  private final SeriesReadings readings;
  private volatile String trouble = "";

  /**
   * @param server the Prometheus server, {@code http://host:port}, or with a path prefix
   * @param selector label matchers for the containers to read, e.g. {@code
   *     container_label_dockscale_project="shop"}
   * @param window the rate window: at least two scrape intervals
   * @param staleAfter a series last scraped longer ago than this has no reading
   */
  PromqlMetricsSource(
      URI server, String selector, Duration window, Duration staleAfter, Clock clock) {
    String path = server.getRawPath() == null ? "" : server.getRawPath();
    this.server = path.endsWith("/") ? server : URI.create(server + "/");
    this.selector = selector;
    this.window = window;
    this.readings =
        new SeriesReadings(
            staleAfter,
            clock,
            "at Prometheus " + this.server + " (is every node's agent or cAdvisor scraped?)",
            "metrics.window " + window.toSeconds() + " s must hold at least two scrapes");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dockscale-promql");
              t.setDaemon(true);
              return t;
            });
  }

  /** Reads the containers of a dockscale project, polling from now on. */
  public static PromqlMetricsSource forProject(
      URI server, String project, Duration window, Duration staleAfter, Clock clock) {
    PromqlMetricsSource source =
        new PromqlMetricsSource(
            server,
            Cadvisor.label("dockscale.project") + "=\"" + escape(project) + "\"",
            window,
            staleAfter,
            clock);
    source.poller.scheduleWithFixedDelay(
        source::pollQuietly, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return source;
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      trouble = "asking Prometheus at " + server + " failed: " + message(e);
      LOG.debug(trouble);
    }
  }

  /** One poll: the three queries; on failure the last answer stands (and ages). */
  void poll() {
    try {
      // Each container's CPU summed over its per-CPU series (cAdvisor may have them), then the
      // largest of its copies: a container scraped twice (the agent and cAdvisor, two jobs) counts
      // once.
      Map<String, Double> cpu =
          query(
              "max by (id) (sum without (cpu) (rate("
                  + Cadvisor.CPU
                  + "{"
                  + selector
                  + "}["
                  + seconds(window)
                  + "])))");
      Map<String, Double> memory = query("max by (id) (" + Cadvisor.MEMORY + "{" + selector + "})");
      Map<String, Double> scraped =
          query("max by (id) (timestamp(" + Cadvisor.MEMORY + "{" + selector + "}))");
      Map<String, SeriesReadings.Series> next = new HashMap<>();
      scraped.forEach(
          (id, at) ->
              next.put(
                  id,
                  new SeriesReadings.Series(
                      cpu.getOrDefault(id, Double.NaN),
                      memory.getOrDefault(id, Double.NaN),
                      Instant.ofEpochMilli(Math.round(at * 1000)))));
      readings.update(next);
      trouble = "";
    } catch (IOException e) {
      trouble = "Prometheus at " + server + " did not answer: " + message(e);
      LOG.debug(trouble);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An instant query's vector, by container id. */
  private Map<String, Double> query(String promql) throws IOException, InterruptedException {
    URI uri =
        server.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw new IOException("HTTP " + response.statusCode() + " and no JSON answer", e);
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IOException(
          "HTTP "
              + response.statusCode()
              + " "
              + body.path("errorType").asText("")
              + ": "
              + body.path("error").asText("no error given"));
    }
    Map<String, Double> byId = new HashMap<>();
    for (JsonNode sample : body.path("data").path("result")) {
      String cgroup = sample.path("metric").path(Cadvisor.ID).asText("");
      JsonNode value = sample.path("value");
      if (cgroup.isEmpty() || value.size() != 2) {
        continue;
      }
      double v;
      try {
        v = Double.parseDouble(value.get(1).asText());
      } catch (NumberFormatException e) {
        continue;
      }
      byId.put(Cadvisor.containerId(cgroup), v);
    }
    return byId;
  }

  @Override
  public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
    return readings.read(replicas);
  }

  @Override
  public List<Trouble> troubles() {
    return readings.troubles(trouble);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** A PromQL duration: whole seconds, at least 1. */
  private static String seconds(Duration d) {
    return Math.max(1, d.toSeconds()) + "s";
  }

  /** A label value inside double quotes. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
