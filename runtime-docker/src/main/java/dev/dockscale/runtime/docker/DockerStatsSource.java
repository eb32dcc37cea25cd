package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import dev.dockscale.docker.StreamCallback;
import dev.dockscale.metrics.InvalidReadingException;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory per replica from the Docker Engine's stats stream. A one-shot stats call waits a
 * second for its second sample, so instead each replica gets one long-lived stream (a sample a
 * second) and {@link #read} returns the latest sample at once. One read asks for every replica of
 * every service; a stream is closed only after its replica has not been asked about for {@link
 * #ABSENT}, and a stream that ended or stalled is reopened.
 */
public final class DockerStatsSource implements MetricsSource {

  private static final Logger LOG = LoggerFactory.getLogger(DockerStatsSource.class);

  /**
   * A sample older than this is stale (the stream stalled): the replica counts as unsampled, and
   * its stream is reopened.
   */
  static final Duration STALE = Duration.ofSeconds(5);

  /** A stream of a replica not asked about for this long is closed. */
  static final Duration ABSENT = Duration.ofSeconds(10);

  private final DockerClient docker;
  private final Clock clock;
  private final Map<String, Stream> streams = new HashMap<>();

  public DockerStatsSource(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /** CPU in cores and memory in bytes, as read from one stats sample. */
  record Usage(Instant at, double cores, long memoryBytes) {}

  @Override
  public synchronized Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
    Map<String, ReplicaMetrics> result = new HashMap<>();
    Instant now = clock.instant();
    for (MeasuredReplica r : replicas) {
      Stream stream = streams.get(r.id());
      if (stream == null || stream.ended || stream.stale(now)) {
        if (stream != null) {
          LOG.debug("reopening the stats stream of {}", r.id());
          stream.close();
        }
        stream = open(r.id(), now);
        streams.put(r.id(), stream);
      }
      stream.wanted = now;
      Usage usage = stream.latest;
      if (usage == null || Duration.between(usage.at(), now).compareTo(STALE) > 0) {
        continue;
      }
      Map<Metric, Double> readings = new EnumMap<>(Metric.class);
      readings.put(Metric.CPU, usage.cores() / r.cpuLimitCores() * 100.0);
      if (r.memoryLimitBytes() > 0) {
        readings.put(Metric.MEMORY, usage.memoryBytes() * 100.0 / r.memoryLimitBytes());
      }
      try {
        result.put(r.id(), new ReplicaMetrics(r.id(), usage.at(), readings));
      } catch (InvalidReadingException e) {
        // One bad sample leaves this replica unsampled for a tick; it never stops the loop.
        LOG.warn("ignoring a sample of {}: {}", r.id(), e.getMessage());
      }
    }
    // A replica not asked about for a while is gone (or stopped): its stream goes too.
    streams
        .values()
        .removeIf(
            stream -> {
              boolean absent = Duration.between(stream.wanted, now).compareTo(ABSENT) > 0;
              if (absent) {
                stream.close();
              }
              return absent;
            });
    return result;
  }

  private Stream open(String id, Instant now) {
    Stream stream = new Stream(id, now);
    docker.statsCmd(id).exec(stream);
    return stream;
  }

  /** How many streams are open: for tests. */
  synchronized int openStreams() {
    return streams.size();
  }

  /** Cores used between the previous and this sample; empty for the first sample of a stream. */
  static OptionalDouble cores(Statistics s) {
    CpuStatsConfig cpu = s.getCpuStats();
    CpuStatsConfig pre = s.getPreCpuStats();
    if (cpu == null
        || pre == null
        || cpu.getCpuUsage() == null
        || pre.getCpuUsage() == null
        || cpu.getSystemCpuUsage() == null
        || pre.getSystemCpuUsage() == null) {
      return OptionalDouble.empty();
    }
    long cpuDelta = cpu.getCpuUsage().getTotalUsage() - pre.getCpuUsage().getTotalUsage();
    long systemDelta = cpu.getSystemCpuUsage() - pre.getSystemCpuUsage();
    if (systemDelta <= 0 || cpuDelta < 0 || pre.getSystemCpuUsage() == 0) {
      return OptionalDouble.empty();
    }
    long online =
        cpu.getOnlineCpus() != null
            ? cpu.getOnlineCpus()
            : cpu.getCpuUsage().getPercpuUsage() != null
                ? cpu.getCpuUsage().getPercpuUsage().size()
                : 1;
    return OptionalDouble.of((double) cpuDelta / systemDelta * online);
  }

  /** Memory in use less the page cache, as {@code docker stats} shows it. */
  static long memory(Statistics s) {
    MemoryStatsConfig m = s.getMemoryStats();
    if (m == null || m.getUsage() == null) {
      return 0;
    }
    long usage = m.getUsage();
    if (m.getStats() != null) {
      // cgroup v1 reports total_inactive_file, v2 inactive_file; docker stats subtracts either.
      Long inactive =
          m.getStats().getTotalInactiveFile() != null
              ? m.getStats().getTotalInactiveFile()
              : m.getStats().getInactiveFile();
      if (inactive != null && inactive < usage) {
        return usage - inactive;
      }
    }
    return usage;
  }

  @Override
  public synchronized void close() {
    streams.values().forEach(Stream::close);
    streams.clear();
  }

  private final class Stream extends StreamCallback<Statistics> {
    private final String id;
    private final Instant opened;
    private volatile Usage latest;
    private volatile boolean ended;
    private volatile Instant wanted;

    Stream(String id, Instant opened) {
      this.id = id;
      this.opened = opened;
      this.wanted = opened;
    }

    /** No sample for {@link #STALE}, since it opened or since its last sample. */
    boolean stale(Instant now) {
      Instant last = latest == null ? opened : latest.at();
      return Duration.between(last, now).compareTo(STALE) > 0;
    }

    @Override
    public void onNext(Statistics s) {
      OptionalDouble cores = cores(s);
      if (cores.isPresent()) {
        latest = new Usage(clock.instant(), cores.getAsDouble(), memory(s));
      }
    }

    @Override
    public void onError(Throwable t) {
      LOG.debug("stats stream of {} ended: {}", id, t.toString());
      ended = true;
      super.onError(t);
    }

    @Override
    public void onComplete() {
      ended = true;
      super.onComplete();
    }
  }
}
