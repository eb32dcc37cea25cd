package dev.dockscale.metrics;

import java.util.Collection;
import java.util.Map;

/**
 * Where readings come from: the Docker Engine's stats today, the balancer and Prometheus later. A
 * source keeps the latest sample per replica; {@link #read} never blocks on a slow sample.
 */
public interface MetricsSource extends AutoCloseable {

  /**
   * The latest readings of these replicas, keyed by replica id. A replica with no sample yet is
   * absent from the result; the decision core has rules for that.
   */
  Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas);

  @Override
  void close();

  /** A replica to measure, with the limits its percentages are taken of. */
  record MeasuredReplica(String id, double cpuLimitCores, long memoryLimitBytes) {}
}
