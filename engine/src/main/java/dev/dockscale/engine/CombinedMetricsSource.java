package dev.dockscale.engine;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several sources read as one: each replica's readings are the union of what each source read of it
 * (CPU and memory from the cgroup tree, request rate and latency from the balancer). A source that
 * throws leaves only its own metrics without a reading, and says so in {@link #troubles()}; the
 * others are read as usual.
 */
public final class CombinedMetricsSource implements MetricsSource {

  private static final Logger LOG = LoggerFactory.getLogger(CombinedMetricsSource.class);

  /** A source, named for messages, and the metrics it gives. */
  public record Part(String name, Set<Metric> metrics, MetricsSource source) {
    public Part {
      Objects.requireNonNull(name, "name");
      metrics = Set.copyOf(metrics);
      Objects.requireNonNull(source, "source");
    }
  }

  private final List<Part> parts;
  private final Map<String, String> failed = new HashMap<>();

  public CombinedMetricsSource(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  @Override
  public synchronized Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
    Map<String, Map<Metric, Double>> readings = new HashMap<>();
    Map<String, Instant> sampledAt = new HashMap<>();
    for (Part part : parts) {
      Map<String, ReplicaMetrics> read;
      try {
        read = part.source().read(replicas);
        if (failed.remove(part.name()) != null) {
          LOG.info("the {} metrics are read again", part.name());
        }
      } catch (RuntimeException e) {
        if (failed.put(part.name(), e.toString()) == null) {
          LOG.warn("the {} metrics cannot be read: {}", part.name(), e.toString());
        }
        continue;
      }
      read.forEach(
          (id, m) -> {
            readings.computeIfAbsent(id, k -> new EnumMap<>(Metric.class)).putAll(m.readings());
            sampledAt.merge(id, m.sampledAt(), (a, b) -> a.isAfter(b) ? a : b);
          });
    }
    Map<String, ReplicaMetrics> result = new HashMap<>();
    readings.forEach((id, m) -> result.put(id, new ReplicaMetrics(id, sampledAt.get(id), m)));
    return result;
  }

  @Override
  public synchronized List<Trouble> troubles() {
    List<Trouble> troubles = new ArrayList<>();
    for (Part part : parts) {
      String failure = failed.get(part.name());
      if (failure != null) {
        troubles.add(
            new Trouble(
                part.metrics(), "the " + part.name() + " metrics source failed: " + failure));
      }
      try {
        troubles.addAll(part.source().troubles());
      } catch (RuntimeException e) {
        troubles.add(new Trouble(part.metrics(), part.name() + ": " + e));
      }
    }
    return troubles;
  }

  @Override
  public void close() {
    for (Part part : parts) {
      try {
        part.source().close();
      } catch (RuntimeException e) {
        LOG.debug("closing the {} metrics source: {}", part.name(), e.toString());
      }
    }
  }
}
