package dev.dockscale.engine;

import dev.dockscale.policy.Decision;
import java.util.List;

/**
 * What one tick saw and decided for one service: for the live view, the API later, and tests.
 *
 * @param replicas every replica observed (draining ones included)
 * @param decision the decision record of this tick
 * @param acted what the tick did about it (started, drained, stopped), empty when nothing
 */
public record ServiceStatus(
    String service, List<Replica> replicas, Decision decision, List<String> acted) {

  public ServiceStatus {
    replicas = List.copyOf(replicas);
    acted = List.copyOf(acted);
  }

  public long active() {
    return replicas.stream().filter(Replica::active).count();
  }

  public long ready() {
    return replicas.stream().filter(r -> r.active() && r.ready()).count();
  }
}
