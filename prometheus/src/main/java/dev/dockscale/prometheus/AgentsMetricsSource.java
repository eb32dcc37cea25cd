package dev.dockscale.prometheus;

import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * CPU and memory per replica read from every node's {@code dockscale agent} directly, with no
 * Prometheus server between: each agent's {@code /metrics} is scraped every {@link #POLL} (on its
 * own thread, so {@link #read} never waits on the network) in Prometheus' protobuf format, and CPU
 * is the rate of the container's counter between two scrapes. A replica whose series is missing, or
 * last scraped longer ago than {@code staleAfter} (its agent stopped answering), has no reading,
 * and {@link #troubles} says why.
 */
public final class AgentsMetricsSource implements MetricsSource {

  private static final Logger LOG = LoggerFactory.getLogger(AgentsMetricsSource.class);

  static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** A container's CPU counter when it was last scraped. */
  private record Sample(double cpuSeconds, Instant at) {}

  private final List<URI> agents;
  private final Clock clock;
  private final HttpClient http;
  private final SeriesReadings readings;
  private final ScheduledExecutorService poller;
  private final Map<String, Sample> previous = new HashMap<>();
  private final Map<String, SeriesReadings.Series> latest = new HashMap<>();
  private volatile String trouble = "";

  /**
   * @param agents each agent's base URL, {@code http://host:port}
   */
  AgentsMetricsSource(List<URI> agents, Duration staleAfter, Clock clock) {
    this.agents = List.copyOf(agents);
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    this.readings =
        new SeriesReadings(
            staleAfter,
            clock,
            "at the agents " + this.agents + " (is one running on every node?)",
            "a rate needs two scrapes of its agent, a second apart");
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dockscale-agents");
              t.setDaemon(true);
              return t;
            });
  }

  /** Scrapes {@code agents} from now on. */
  public static AgentsMetricsSource scraping(List<URI> agents, Duration staleAfter, Clock clock) {
    AgentsMetricsSource source = new AgentsMetricsSource(agents, staleAfter, clock);
    source.poller.scheduleWithFixedDelay(source::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return source;
  }

  /** One scrape of every agent; one that does not answer keeps its last series, which age. */
  void poll() {
    List<String> failed = new ArrayList<>();
    for (URI agent : agents) {
      try {
        scrape(agent);
      } catch (IOException | RuntimeException e) {
        failed.add(agent + " (" + (e.getMessage() == null ? e.toString() : e.getMessage()) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    readings.update(latest);
    trouble = failed.isEmpty() ? "" : "agent(s) did not answer: " + String.join(", ", failed);
    if (!failed.isEmpty()) {
      LOG.debug(trouble);
    }
  }

  private void scrape(URI agent) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(agent.resolve("/metrics"))
                .timeout(TIMEOUT)
                .header("Accept", PrometheusProtobufWriter.CONTENT_TYPE)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    Instant at = clock.instant();
    Map<String, Double> cpu = new HashMap<>();
    Map<String, Double> memory = new HashMap<>();
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      Metrics.MetricFamily family;
      while ((family = Metrics.MetricFamily.parseDelimitedFrom(body)) != null) {
        if (Cadvisor.CPU.equals(family.getName())) {
          family.getMetricList().forEach(m -> put(cpu, m, m.getCounter().getValue()));
        } else if (Cadvisor.MEMORY.equals(family.getName())) {
          family.getMetricList().forEach(m -> put(memory, m, m.getGauge().getValue()));
        }
      }
    }
    memory.forEach(
        (id, bytes) -> {
          Double seconds = cpu.get(id);
          Sample before = previous.get(id);
          double cores = Double.NaN;
          if (seconds != null && before != null && seconds >= before.cpuSeconds()) {
            double elapsed = Duration.between(before.at(), at).toNanos() / 1e9;
            cores = elapsed > 0 ? (seconds - before.cpuSeconds()) / elapsed : Double.NaN;
          }
          if (seconds != null) {
            previous.put(id, new Sample(seconds, at));
          }
          latest.put(id, new SeriesReadings.Series(cores, bytes, at));
        });
  }

  /** A series' value by container id, from its cgroup label. */
  private static void put(Map<String, Double> byId, Metrics.Metric m, double value) {
    for (Metrics.LabelPair label : m.getLabelList()) {
      if (Cadvisor.ID.equals(label.getName()) && !label.getValue().isEmpty()) {
        byId.put(Cadvisor.containerId(label.getValue()), value);
      }
    }
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
}
