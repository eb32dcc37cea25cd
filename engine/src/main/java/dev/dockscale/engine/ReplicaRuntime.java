package dev.dockscale.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where replicas run, as the engine observes it: one Docker Engine whose containers dockscale
 * starts and stops one by one ({@link ContainerRuntime}), or an orchestrator that schedules a
 * service's replicas itself once told how many ({@link ServiceScheduler}). Every call is idempotent
 * or safe to repeat, and touches only objects carrying dockscale's labels for the given project. A
 * call that cannot reach the runtime throws; the engine then acts on nothing until it answers
 * again.
 */
public sealed interface ReplicaRuntime extends AutoCloseable
    permits ContainerRuntime, ServiceScheduler {

  /** Creates the project's network when it is absent. */
  void ensureNetwork(String project, String network);

  /**
   * Every replica of the project, of every service, found by label (draining and exited ones
   * included; a scheduler's failed tasks while recent, its older ones are history), with {@link
   * Replica.Readiness#UNKNOWN} and their address on {@code network}: one observation for the whole
   * pass.
   */
  List<Replica> replicas(String project, String network);

  /**
   * Makes the image present without blocking: pulls or builds it in the background when it is
   * missing, and says where that stands. A failed attempt is tried again after a back-off.
   */
  ImageState prepareImage(String image);

  /**
   * Calls {@code onEvent} when a replica of the project dies, starts, changes health, is paused or
   * removed, so the engine can act at once rather than at its next tick. Reconnects by itself (with
   * a back-off) when the runtime goes away and comes back. Closing it stops the watch.
   */
  AutoCloseable watch(String project, Consumer<RuntimeEvent> onEvent);

  /** Removes everything of the project; returns what was removed, for the user. */
  List<String> removeProject(String project, String network);

  /** Releases what the adapter holds (threads, connections); the replicas keep running. */
  @Override
  default void close() {}

  /**
   * Something that happened to a replica of the project ({@code replicaId}: a container's id, on
   * Swarm a task container's), or {@link #RECONNECTED}.
   */
  record RuntimeEvent(String replicaId, String name, String action) {}

  /** The action of the event a watch reports when it reconnected after losing the runtime. */
  String RECONNECTED = "reconnected";

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
