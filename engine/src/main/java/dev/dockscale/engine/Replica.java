package dev.dockscale.engine;

import java.time.Instant;

/**
 * One replica as observed on the runtime this tick.
 *
 * @param id the runtime's id
 * @param name the container name ({@code project-service-index}, with a draining suffix once it is
 *     on its way out)
 * @param index the replica's number within its service
 * @param state what the runtime says of it
 * @param address the address the balancer reaches it at, empty when it has none yet
 * @param startedAt when it was last started
 * @param draining whether it was taken out of rotation for scale-in
 */
public record Replica(
    String id,
    String name,
    int index,
    State state,
    String address,
    Instant startedAt,
    boolean draining) {

  public enum State {
    /** Created, restarting or running without a passing health check yet. */
    STARTING,
    /** Running and healthy: may take traffic. */
    READY,
    /** Running but its health check fails. */
    UNHEALTHY,
    /** Exited or dead: it will not serve again and is removed (and replaced, when needed). */
    GONE
  }

  public boolean ready() {
    return state == State.READY && !address.isEmpty();
  }

  /** Counts toward the service's replicas: not draining and not gone. */
  public boolean active() {
    return !draining && state != State.GONE;
  }
}
