package dev.dockscale.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where replicas run: the Docker Engine today, Swarm later. Every call is idempotent or safe to
 * repeat, and touches only objects carrying dockscale's labels for the given project. A call that
 * cannot reach the runtime throws; the engine then acts on nothing until it answers again.
 */
public interface ContainerRuntime {

  /** Creates the project's network when it is absent. */
  void ensureNetwork(String project, String network);

  /**
   * Every replica of the project, of every service, found by label (draining and exited ones
   * included), with {@link Replica.Readiness#UNKNOWN} and their address on {@code network}: one
   * observation for the whole pass.
   */
  List<Replica> replicas(String project, String network);

  /**
   * Makes the image present without blocking: pulls or builds it in the background when it is
   * missing, and says where that stands. A failed attempt is tried again after a back-off.
   */
  ImageState prepareImage(String image);

  /** Creates and starts one replica. */
  Replica start(ReplicaSpec spec);

  /** Freezes a warm-pool replica ({@code docker pause}): its memory kept, no CPU used. */
  void pause(Replica replica);

  /**
   * Turns a warm-pool replica into a serving one: unpaused and marked as no longer warm, in a way
   * that outlives a restart of dockscale. Returns it as it is now.
   */
  Replica promote(Replica replica);

  /** Marks a replica as draining, in a way that outlives a restart of dockscale. */
  void markDraining(Replica replica);

  /** Stops a replica (SIGTERM, then SIGKILL after {@code timeout}) and removes it. */
  void stopAndRemove(Replica replica, Duration timeout);

  /**
   * Calls {@code onEvent} when a container of the project dies, starts, changes health, is paused
   * or removed, so the engine can act at once rather than at its next tick. Reconnects by itself
   * (with a back-off) when the runtime goes away and comes back. Closing it stops the watch.
   */
  AutoCloseable watch(String project, Consumer<RuntimeEvent> onEvent);

  /** Removes every container and network of the project; returns what was removed, for the user. */
  List<String> removeProject(String project, String network);

  /** Something that happened to a container of the project. */
  record RuntimeEvent(String containerId, String name, String action) {}

  /** Where an image stands: there, on its way, or failed (with what to do). */
  record ImageState(Kind kind, String message) {
    public enum Kind {
      PRESENT,
      PREPARING,
      FAILED
    }

    public static final ImageState PRESENT_STATE = new ImageState(Kind.PRESENT, "");

    public static ImageState preparing(String message) {
      return new ImageState(Kind.PREPARING, message);
    }

    public static ImageState failed(String message) {
      return new ImageState(Kind.FAILED, message);
    }

    public boolean present() {
      return kind == Kind.PRESENT;
    }
  }
}
