package dev.dockscale.engine;

import dev.dockscale.policy.Decision;
import java.util.List;

/**
 * What one pass saw and did for one service: for the live view, the API later, and tests.
 *
 * @param replicas every replica observed (draining and warm ones included), with their readiness
 * @param decision the latest decision record (of this pass, or of the last deciding pass)
 * @param acted what the pass did (started, drained, stopped, replaced), empty when nothing
 * @param problems what keeps the service from its desired state (an image that cannot be had, a
 *     crash loop, a failed start, an engine that does not answer), empty when none
 */
public record ServiceStatus(
    String service,
    List<Replica> replicas,
    Decision decision,
    List<String> acted,
    List<String> problems) {

  public ServiceStatus {
    replicas = List.copyOf(replicas);
    acted = List.copyOf(acted);
    problems = List.copyOf(problems);
  }

  public long active() {
    return replicas.stream().filter(Replica::active).count();
  }

  public long ready() {
    return replicas.stream().filter(r -> r.active() && r.ready()).count();
  }

  /** Replicas in the warm pool (paused, or on their way to it). */
  public long warm() {
    return replicas.stream().filter(r -> r.warm() && !r.draining()).count();
  }
}
