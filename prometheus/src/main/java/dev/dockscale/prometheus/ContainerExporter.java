package dev.dockscale.prometheus;

import dev.dockscale.runtime.docker.CgroupReader;
import dev.dockscale.runtime.docker.CgroupReader.Usage;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every running container of the node, read from the cgroup tree at each scrape, as cAdvisor names
 * it: {@code container_cpu_usage_seconds_total} and {@code container_memory_working_set_bytes},
 * labelled with the cgroup ({@code id}), the container's name and image and each of its Docker
 * labels ({@code container_label_*}: a Swarm task's service and task, dockscale's project and
 * service). A container whose cgroup cannot be read is left out of that scrape.
 */
public final class ContainerExporter implements MultiCollector, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerExporter.class);

  /** What the agent needs to know of a running container. */
  public record Container(String id, String name, String image, Map<String, String> labels) {}

  /** What is known of a container by id (from the Engine, or a test's). */
  public interface Containers {
    /** Its name, image and labels; empty when they cannot be had now (it is left out). */
    Optional<Container> describe(String id);

    /** Forgets every container but these. */
    void retainOnly(Collection<String> ids);
  }

  private final Containers containers;
  private final CgroupReader cgroups;
  private final List<String> labelPrefixes;

  /** Every Docker label of a container exported, as cAdvisor does by default. */
  public ContainerExporter(Containers containers, CgroupReader cgroups) {
    this(containers, cgroups, List.of());
  }

  /**
   * Only the Docker labels starting with one of {@code labelPrefixes} exported (all when empty):
   * labels can hold what should not leave the node, and each distinct one is a series.
   */
  public ContainerExporter(
      Containers containers, CgroupReader cgroups, List<String> labelPrefixes) {
    this.containers = containers;
    this.cgroups = cgroups;
    this.labelPrefixes = List.copyOf(labelPrefixes);
  }

  @Override
  public synchronized MetricSnapshots collect() {
    Set<String> running = cgroups.containerIds();
    CounterSnapshot.Builder cpu =
        CounterSnapshot.builder()
            .name(Cadvisor.CPU_COUNTER)
            .help("Cumulative cpu time consumed in seconds.");
    GaugeSnapshot.Builder memory =
        GaugeSnapshot.builder()
            .name(Cadvisor.MEMORY)
            .help("Current working set in bytes (usage less inactive page cache).");
    List<String> read = new ArrayList<>();
    for (String id : running) {
      try {
        Optional<Container> c = containers.describe(id);
        Optional<Usage> usage = c.isEmpty() ? Optional.empty() : cgroups.read(id);
        if (usage.isEmpty()) {
          continue;
        }
        Labels labels = labels(usage.get().cgroup(), c.get(), labelPrefixes);
        cpu.dataPoint(
            CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels)
                .value(usage.get().cpuNanos() / 1e9)
                .build());
        memory.dataPoint(
            GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels)
                .value(usage.get().memoryBytes())
                .build());
        read.add(id);
      } catch (RuntimeException e) {
        // One container's oddity leaves it out of this scrape, never the node's other ones.
        LOG.debug("container {} left out of this scrape: {}", id, e.toString());
      }
    }
    cgroups.retainOnly(read);
    containers.retainOnly(running);
    return MetricSnapshots.of(cpu.build(), memory.build());
  }

  /**
   * cAdvisor's labels for one container (a missing value is empty); of two Docker labels that make
   * the same Prometheus name, the first is kept.
   */
  static Labels labels(String cgroup, Container c, List<String> prefixes) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Cadvisor.ID, cgroup);
    labels.put(Cadvisor.NAME, Objects.toString(c.name(), ""));
    labels.put(Cadvisor.IMAGE, Objects.toString(c.image(), ""));
    if (c.labels() != null) {
      c.labels()
          .forEach(
              (name, value) -> {
                if (name != null
                    && (prefixes.isEmpty() || prefixes.stream().anyMatch(name::startsWith))) {
                  labels.putIfAbsent(Cadvisor.label(name), Objects.toString(value, ""));
                }
              });
    }
    return Labels.of(new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()));
  }

  /** Lets go of the cgroup files, at shutdown (never during a scrape). */
  @Override
  public synchronized void close() {
    cgroups.close();
  }
}
