package dev.dockscale.engine;

import dev.dockscale.metrics.Metric;
import java.util.Map;

/**
 * A service as the last pass left it, for those who watch and steer it.
 *
 * @param status what the pass saw and did
 * @param readings the latest metric readings, by replica id (a replica without any is absent)
 * @param control the hand controls in force
 * @param min the config's replicas.min
 * @param max the config's replicas.max
 */
public record ServiceView(
    ServiceStatus status,
    Map<String, Map<Metric, Double>> readings,
    Control control,
    int min,
    int max) {

  public ServiceView {
    readings = Map.copyOf(readings);
  }

  public String service() {
    return status.service();
  }
}
