package dev.dockscale.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where readings come from: the cgroup tree or the Docker Engine's stats, the balancer's request
 * log; Prometheus later. A source keeps the latest sample per replica; {@link #read} never blocks
 * on a slow sample.
 */
public interface MetricsSource extends AutoCloseable {

  /**
   * The latest readings of these replicas, keyed by replica id. A replica with no sample yet is
   * absent from the result; the decision core has rules for that.
   */
  Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas);

  /**
   * Why some metrics have no reading now (the balancer's log cannot be read, say), for the status
   * of the services that scale on them; empty when the source reads as it should.
   */
  default List<Trouble> troubles() {
    return List.of();
  }

  @Override
  void close();

  /**
   * A replica to measure, with the limits its percentages are taken of, the service it belongs to
   * and the address the balancer reaches it at (empty when it has none).
   */
  record MeasuredReplica(
      String id, double cpuLimitCores, long memoryLimitBytes, String service, String address) {

    public MeasuredReplica {
      service = service == null ? "" : service;
      address = address == null ? "" : address;
    }

    public MeasuredReplica(String id, double cpuLimitCores, long memoryLimitBytes) {
      this(id, cpuLimitCores, memoryLimitBytes, "", "");
    }
  }

  /** Metrics without a reading, and why. */
  record Trouble(Set<Metric> metrics, String why) {
    public Trouble {
      metrics = Set.copyOf(metrics);
    }
  }
}
