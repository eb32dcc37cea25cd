package dev.dockscale.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockscale.metrics.InvalidReadingException;
import dev.dockscale.metrics.Metric;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /** One container's figures from one poll. */
  record Series(double cpuCores, double memoryBytes, Instant scrapedAt) {}

  private final URI server;
  private final String selector;
  private final Duration window;
  private final Duration staleAfter;
  private final Clock clock;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService poller;
  private volatile Map<String, Series> latest = Map.of();
  private volatile String trouble = "";
  private volatile String seriesTrouble = "";
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

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
    this.staleAfter = staleAfter;
    this.clock = clock;
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
      Map<String, Series> next = new HashMap<>();
      scraped.forEach(
          (id, at) ->
              next.put(
                  id,
                  new Series(
                      cpu.getOrDefault(id, Double.NaN),
                      memory.getOrDefault(id, Double.NaN),
                      Instant.ofEpochMilli(Math.round(at * 1000)))));
      latest = Map.copyOf(next);
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
    Instant now = clock.instant();
    Map<String, Series> series = latest;
    Map<String, ReplicaMetrics> result = new HashMap<>();
    int missing = 0;
    int stale = 0;
    int noCpu = 0;
    Duration oldest = Duration.ZERO;
    missingSince.keySet().retainAll(replicas.stream().map(MeasuredReplica::id).toList());
    for (MeasuredReplica r : replicas) {
      Series s = series.get(r.id());
      if (s == null) {
        // A replica just started has no series until it is scraped: only one missing for longer
        // than stale-after is a trouble.
        Instant since = missingSince.computeIfAbsent(r.id(), id -> now);
        if (Duration.between(since, now).compareTo(staleAfter) > 0) {
          missing++;
        }
        continue;
      }
      missingSince.remove(r.id());
      Duration age = Duration.between(s.scrapedAt(), now);
      if (age.compareTo(staleAfter) > 0) {
        stale++;
        oldest = age.compareTo(oldest) > 0 ? age : oldest;
        continue;
      }
      Map<Metric, Double> readings = new EnumMap<>(Metric.class);
      if (r.cpuLimitCores() > 0 && Double.isFinite(s.cpuCores())) {
        readings.put(Metric.CPU, s.cpuCores() / r.cpuLimitCores() * 100.0);
      } else if (r.cpuLimitCores() > 0) {
        noCpu++;
      }
      if (r.memoryLimitBytes() > 0 && Double.isFinite(s.memoryBytes())) {
        readings.put(Metric.MEMORY, s.memoryBytes() * 100.0 / r.memoryLimitBytes());
      }
      if (readings.isEmpty()) {
        continue;
      }
      try {
        result.put(r.id(), new ReplicaMetrics(r.id(), s.scrapedAt(), readings));
      } catch (InvalidReadingException e) {
        LOG.debug("{} unsampled: {}", r.id(), e.getMessage());
      }
    }
    seriesTrouble = seriesTrouble(replicas.size(), missing, stale, oldest, noCpu);
    return result;
  }

  /** What the last read found wrong with the series, "" when nothing. */
  private String seriesTrouble(int asked, int missing, int stale, Duration oldest, int noCpu) {
    List<String> why = new ArrayList<>();
    if (missing > 0) {
      why.add(
          missing
              + " of "
              + asked
              + " replica(s) have had no series for more than stale-after "
              + staleAfter.toSeconds()
              + " s at Prometheus "
              + server
              + " (is every node's agent or cAdvisor scraped?)");
    }
    if (stale > 0) {
      why.add(
          stale
              + " replica(s) last scraped up to "
              + oldest.toSeconds()
              + " s ago, more than stale-after "
              + staleAfter.toSeconds()
              + " s (the scrape interval, or the server's clock against this one's)");
    }
    if (noCpu > 0) {
      why.add(
          noCpu
              + " replica(s) without a CPU rate: metrics.window "
              + window.toSeconds()
              + " s must hold at least two scrapes");
    }
    return String.join("; ", why);
  }

  @Override
  public List<Trouble> troubles() {
    List<Trouble> troubles = new ArrayList<>();
    for (String why : List.of(trouble, seriesTrouble)) {
      if (!why.isEmpty()) {
        troubles.add(new Trouble(Set.of(Metric.CPU, Metric.MEMORY), why));
      }
    }
    return troubles;
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
