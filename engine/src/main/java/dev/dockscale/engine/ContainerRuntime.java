package dev.dockscale.engine;

import java.time.Duration;

/**
 * A runtime on which dockscale starts, pauses, drains and stops each replica itself: one Docker
 * Engine. The engine chooses which replica goes on scale-in and takes it out of the balancer before
 * it is stopped.
 */
public non-sealed interface ContainerRuntime extends ReplicaRuntime {

  /** Creates and starts one replica. */
  Replica start(ReplicaSpec spec);

  /** Freezes a warm-pool replica ({@code docker pause}): its memory kept, no CPU used. */
  void pause(Replica replica);

  /**
   * Turns a warm-pool replica into a serving one: unpaused and marked as no longer warm, in a way
   * that outlives a restart of dockscale. Returns it as it is now.
   */
  Replica promote(Replica replica);

  /**
   * Ends a replica's start-up boost: a replica started with more CPUs than its limit is set to
   * {@code cpus}. Nothing happens to one started without a boost, or already set; safe to repeat.
   */
  void endStartupBoost(Replica replica, double cpus);

  /** Marks a replica as draining, in a way that outlives a restart of dockscale. */
  void markDraining(Replica replica);

  /** Stops a replica (SIGTERM, then SIGKILL after {@code timeout}) and removes it. */
  void stopAndRemove(Replica replica, Duration timeout);
}
