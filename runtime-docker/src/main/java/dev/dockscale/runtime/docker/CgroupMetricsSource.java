package dev.dockscale.runtime.docker;

import dev.dockscale.metrics.InvalidReadingException;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory per replica read straight from the kernel: its container's cgroup files, sampled
 * at each {@link #read}, with no thread and no call to the Docker Engine. The Engine's stats
 * streams ({@link DockerStatsSource}) cost dockerd and containerd about 17 % of a core per 100
 * replicas; reading one small file per replica per sample costs next to nothing.
 *
 * <p>On cgroup v1 it reads {@code cpuacct.usage}, and {@code memory.usage_in_bytes} less {@code
 * total_inactive_file} of {@code memory.stat}; on v2 {@code usage_usec} of {@code cpu.stat}, and
 * {@code memory.current} less {@code inactive_file} ({@link CgroupTree} says where). CPU is read at
 * every call; memory, which moves slowly and costs two files, at most every {@link #MEMORY_EVERY},
 * and only for replicas with a memory limit. CPU is the usage counter's growth over wall-clock time
 * since the newest earlier sample of the replica that is at least {@link #WINDOW} old, in % of its
 * CPU limit: a repair pass right after a tick measures the last half second or more, not a noisy
 * sliver of time since the tick. Memory is in % of the memory limit, and left out when there is
 * none.
 *
 * <p>Until a replica has a sample that old (its first half second, and again after its counter went
 * back, which is a container restarted in place) it reads memory but no CPU: the decision core
 * counts it unsampled for CPU only, and a service scaled on memory has its reading at once. A file
 * that cannot be read leaves only its replica unsampled. A replica whose cgroup is in none of the
 * known places (rootless Docker, a custom {@code --cgroup-parent}, an engine in a VM) is read from
 * the fallback source, which is asked about those replicas only.
 */
public final class CgroupMetricsSource implements MetricsSource {

  private static final Logger LOG = LoggerFactory.getLogger(CgroupMetricsSource.class);

  private static final Path HOST_ROOT = Path.of("/sys/fs/cgroup");

  /** CPU is measured over at least this much time. */
  static final Duration WINDOW = Duration.ofMillis(500);

  /**
   * Memory is read at most this often per replica (two files, one of them long); CPU, one short
   * file, at every read.
   */
  static final Duration MEMORY_EVERY = Duration.ofSeconds(1);

  /** A replica not asked about for this long is forgotten, with its cgroup directories. */
  static final Duration ABSENT = Duration.ofSeconds(10);

  private final CgroupTree tree;
  private final Clock clock;
  private final MetricsSource fallback;
  private final Map<String, Tracked> tracked = new HashMap<>();

  /** Reads the cgroup tree under {@code root}; replicas not found there are read from fallback. */
  public CgroupMetricsSource(Path root, Clock clock, MetricsSource fallback) {
    this.tree = new CgroupTree(root);
    this.clock = clock;
    this.fallback = fallback;
  }

  /**
   * This host's cgroup tree, {@code /sys/fs/cgroup}, with fallback for replicas not in it; or the
   * fallback alone when there is no tree to read (not Linux, or no permission).
   */
  public static MetricsSource forHost(Clock clock, MetricsSource fallback) {
    return forRoot(HOST_ROOT, clock, fallback);
  }

  static MetricsSource forRoot(Path root, Clock clock, MetricsSource fallback) {
    if (!Files.isDirectory(root) || !Files.isReadable(root)) {
      LOG.info("no readable cgroup tree at {}: metrics come from the fallback", root);
      return fallback;
    }
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    LOG.info("metrics from the cgroup {} tree at {}", source.tree.version(), root);
    return source;
  }

  @Override
  public synchronized Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
    Instant now = clock.instant();
    Map<String, ReplicaMetrics> result = new HashMap<>();
    List<MeasuredReplica> elsewhere = new ArrayList<>();
    for (MeasuredReplica r : replicas) {
      Tracked t = tracked.get(r.id());
      if (t == null) {
        Optional<CgroupTree.Container> found = tree.find(r.id());
        if (found.isEmpty()) {
          elsewhere.add(r);
          continue;
        }
        t = new Tracked(found.get());
        tracked.put(r.id(), t);
      }
      t.wanted = now;
      sample(r, t, now).ifPresent(m -> result.put(r.id(), m));
    }
    // Asked even with none, so that it lets go of replicas it no longer serves.
    try {
      result.putAll(fallback.read(elsewhere));
    } catch (RuntimeException e) {
      LOG.warn(
          "the fallback metrics source failed; {} replica(s) unsampled: {}",
          elsewhere.size(),
          e.toString());
    }
    tracked
        .values()
        .removeIf(
            t -> {
              boolean absent = Duration.between(t.wanted, now).compareTo(ABSENT) > 0;
              if (absent) {
                t.cgroup.close();
              }
              return absent;
            });
    return result;
  }

  private static Optional<ReplicaMetrics> sample(MeasuredReplica r, Tracked t, Instant now) {
    long cpuNanos;
    try {
      cpuNanos = t.cgroup.cpuNanos();
      if (r.memoryLimitBytes() > 0 && t.memoryDue(now)) {
        t.memoryBytes = t.cgroup.memoryBytes();
        t.memoryAt = now;
      }
    } catch (IOException e) {
      LOG.debug("{} unsampled: {}", r.id(), e.getMessage());
      return Optional.empty();
    }
    Sample last = t.history.peekLast();
    if (last != null && cpuNanos < last.cpuNanos()) {
      LOG.debug("the CPU counter of {} went back (restarted in place): measuring afresh", r.id());
      t.history.clear();
    }
    Optional<Sample> base = t.newestAtLeast(WINDOW, now);
    t.history.addLast(new Sample(now, cpuNanos));
    Map<Metric, Double> readings = new EnumMap<>(Metric.class);
    base.ifPresent(b -> readings.put(Metric.CPU, cpuPercent(b, cpuNanos, now, r.cpuLimitCores())));
    if (r.memoryLimitBytes() > 0) {
      readings.put(Metric.MEMORY, t.memoryBytes * 100.0 / r.memoryLimitBytes());
    }
    if (readings.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ReplicaMetrics(r.id(), now, readings));
    } catch (InvalidReadingException e) {
      LOG.debug("{} unsampled: {}", r.id(), e.getMessage());
      return Optional.empty();
    }
  }

  private static double cpuPercent(Sample base, long cpuNanos, Instant now, double limitCores) {
    double cpuSeconds = (cpuNanos - base.cpuNanos()) / 1e9;
    double wallSeconds = Duration.between(base.at(), now).toNanos() / 1e9;
    return cpuSeconds / wallSeconds / limitCores * 100.0;
  }

  @Override
  public synchronized void close() {
    tracked.values().forEach(t -> t.cgroup.close());
    tracked.clear();
    fallback.close();
  }

  /** A replica's CPU counter at one moment. */
  private record Sample(Instant at, long cpuNanos) {}

  /** What is kept of one replica between reads. */
  private static final class Tracked {
    private final CgroupTree.Container cgroup;

    /** Oldest first; none older than the newest one that is at least {@link #WINDOW} old. */
    private final Deque<Sample> history = new ArrayDeque<>();

    private Instant wanted;
    private Instant memoryAt;
    private long memoryBytes;

    Tracked(CgroupTree.Container cgroup) {
      this.cgroup = cgroup;
    }

    boolean memoryDue(Instant now) {
      return memoryAt == null || Duration.between(memoryAt, now).compareTo(MEMORY_EVERY) >= 0;
    }

    /**
     * The newest sample at least {@code window} older than {@code now}, dropping the older ones:
     * they can never be the newest such sample again.
     */
    Optional<Sample> newestAtLeast(Duration window, Instant now) {
      Instant latestStart = now.minus(window);
      Sample base = null;
      for (Sample s : history) {
        if (!s.at().isAfter(latestStart)) {
          base = s;
        }
      }
      while (base != null && history.peekFirst() != base) {
        history.removeFirst();
      }
      return Optional.ofNullable(base);
    }
  }
}
