package dev.dockscale.cli;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A slow metrics pipeline in front of a fast source, as Kubernetes' metrics-server is in front of
 * the HPA: the source is read every {@code sample}, and what {@link #read} returns changes only
 * once a {@code window}, to each replica's average over the window just ended. Between window ends
 * the same readings are returned, however often they are asked for. The policy benchmark puts it in
 * front of the {@code hpa} and {@code hpa-tuned} loops (15 s), so that they see what HPA sees.
 *
 * <p>The replicas sampled are the ones the last {@link #read} asked for.
 */
final class WindowedMetricsSource implements MetricsSource {

  private final MetricsSource source;
  private final Duration window;
  private final Clock clock;
  private final ScheduledExecutorService sampler;
  private volatile List<MeasuredReplica> replicas = List.of();
  private volatile Map<String, ReplicaMetrics> published = Map.of();

  /** Sums and counts per replica and metric over the window in progress; the sampler's only. */
  private final Map<String, Map<Metric, double[]>> sums = new HashMap<>();

  private Instant windowStart;

  WindowedMetricsSource(MetricsSource source, Duration window, Duration sample, Clock clock) {
    if (window.isZero() || window.isNegative() || sample.isZero() || sample.isNegative()) {
      throw new IllegalArgumentException(
          "need a window and a sample period > 0, got " + window + ", " + sample);
    }
    this.source = source;
    this.window = window;
    this.clock = clock;
    this.windowStart = clock.instant();
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dockscale-windowed-metrics");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleWithFixedDelay(
        this::sampleQuietly, sample.toMillis(), sample.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      // a failed read is a missing sample: the window's average is taken over the others
    }
  }

  /** Adds one reading of the source to the window, and publishes the window when it has ended. */
  void sample() {
    List<MeasuredReplica> asked = replicas;
    if (!asked.isEmpty()) {
      for (ReplicaMetrics m : source.read(asked).values()) {
        Map<Metric, double[]> perMetric = sums.computeIfAbsent(m.replica(), k -> new HashMap<>());
        m.readings()
            .forEach(
                (metric, value) -> {
                  double[] sumAndCount = perMetric.computeIfAbsent(metric, k -> new double[2]);
                  sumAndCount[0] += value;
                  sumAndCount[1]++;
                });
      }
    }
    Instant now = clock.instant();
    if (Duration.between(windowStart, now).compareTo(window) >= 0) {
      Map<String, ReplicaMetrics> averages = new HashMap<>();
      sums.forEach(
          (replica, perMetric) -> {
            Map<Metric, Double> values = new EnumMap<>(Metric.class);
            perMetric.forEach((metric, s) -> values.put(metric, s[0] / s[1]));
            averages.put(replica, ReplicaMetrics.of(replica, now, values));
          });
      published = Map.copyOf(averages);
      sums.clear();
      windowStart = now;
    }
  }

  @Override
  public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> asked) {
    replicas = List.copyOf(asked);
    Map<String, ReplicaMetrics> last = published;
    Map<String, ReplicaMetrics> result = new HashMap<>();
    for (MeasuredReplica r : asked) {
      ReplicaMetrics m = last.get(r.id());
      if (m != null) {
        result.put(r.id(), m);
      }
    }
    return result;
  }

  @Override
  public List<Trouble> troubles() {
    return source.troubles();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    source.close();
  }
}
