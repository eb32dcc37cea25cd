package dev.dockscale.prometheus;

import dev.dockscale.metrics.InvalidReadingException;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers' latest series from a poll (through Prometheus, or from the agents), read as the
 * replicas' CPU and memory: a replica whose series is missing, not a finite number, or older than
 * {@code staleAfter} has no reading, and {@link #trouble} says why (a new replica's missing series
 * or CPU rate only after {@code staleAfter}: it is not scraped twice yet).
 */
final class SeriesReadings {

  private static final Logger LOG = LoggerFactory.getLogger(SeriesReadings.class);

  /** One container's figures from one poll: CPU in cores (NaN: no rate yet) and memory. */
  record Series(double cpuCores, double memoryBytes, Instant scrapedAt) {}

  private final Duration staleAfter;
  private final Clock clock;
  private final String where;
  private final String noCpuFix;
  private volatile Map<String, Series> latest = Map.of();
  private volatile String trouble = "";
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();
  private final Map<String, Instant> noCpuSince = new ConcurrentHashMap<>();

  /**
   * @param where where the series come from, for troubles: "at Prometheus http://..."
   * @param noCpuFix what to do when a series has no CPU rate
   */
  SeriesReadings(Duration staleAfter, Clock clock, String where, String noCpuFix) {
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.where = where;
    this.noCpuFix = noCpuFix;
  }

  /** The series of the last poll that answered, by container id. */
  void update(Map<String, Series> next) {
    latest = Map.copyOf(next);
  }

  /** What the last read found wrong with the series, "" when nothing. */
  String trouble() {
    return trouble;
  }

  /**
   * The source's own trouble ({@code source}: its server or agents, "" for none) and the series'.
   */
  List<MetricsSource.Trouble> troubles(String source) {
    List<MetricsSource.Trouble> troubles = new ArrayList<>();
    for (String why : List.of(source, trouble)) {
      if (!why.isEmpty()) {
        troubles.add(new MetricsSource.Trouble(Set.of(Metric.CPU, Metric.MEMORY), why));
      }
    }
    return troubles;
  }

  Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
    Instant now = clock.instant();
    Map<String, Series> series = latest;
    Map<String, ReplicaMetrics> result = new HashMap<>();
    int missing = 0;
    int stale = 0;
    int noCpu = 0;
    Duration oldest = Duration.ZERO;
    List<String> asked = replicas.stream().map(MeasuredReplica::id).toList();
    missingSince.keySet().retainAll(asked);
    noCpuSince.keySet().retainAll(asked);
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
        // A rate needs a second scrape: only a series without one for longer than stale-after is
        // a trouble.
        Instant since = noCpuSince.computeIfAbsent(r.id(), id -> now);
        if (Duration.between(since, now).compareTo(staleAfter) > 0) {
          noCpu++;
        }
      }
      if (Double.isFinite(s.cpuCores())) {
        noCpuSince.remove(r.id());
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
    trouble = trouble(replicas.size(), missing, stale, oldest, noCpu);
    return result;
  }

  private String trouble(int asked, int missing, int stale, Duration oldest, int noCpu) {
    List<String> why = new ArrayList<>();
    if (missing > 0) {
      why.add(
          missing
              + " of "
              + asked
              + " replica(s) have had no series for more than stale-after "
              + staleAfter.toSeconds()
              + " s "
              + where);
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
      why.add(noCpu + " replica(s) without a CPU rate: " + noCpuFix);
    }
    return String.join("; ", why);
  }
}
