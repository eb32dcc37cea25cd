package dev.dockscale.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * One replica as the runtime reported it this pass, with the readiness dockscale's probe has seen.
 *
 * @param id the runtime's id
 * @param name the container name ({@code project-service-index}, with a draining suffix once it is
 *     on its way out)
 * @param service the service it belongs to (label {@code dockscale.service})
 * @param index the replica's number within its service
 * @param state what the runtime says of the container
 * @param readiness what the readiness probe says ({@link Readiness#UNKNOWN} until it has answered)
 * @param address the address the balancer reaches it at, empty when it has none
 * @param createdAt when the container was created (start deadlines count from here, so restarts in
 *     place do not reset them)
 * @param startedAt when it was last started
 * @param draining whether it was taken out of rotation for scale-in
 * @param warm whether it is a member of the service's warm pool: never routed, paused once ready
 * @param template the hash of the replica template it was created from; a different hash in the
 *     config means it is rolled
 * @param replaces the id of the replica this one was started to replace, empty for none
 * @param protect whether scale-in may never choose it (label {@code dockscale.protect=true})
 * @param restarts how often the runtime restarted it in place
 * @param exit why it stopped, for an exited container; for a task a scheduler has not started yet,
 *     why it waits (no node fits, no such image)
 */
public record Replica(
    String id,
    String name,
    String service,
    int index,
    State state,
    Readiness readiness,
    String address,
    Instant createdAt,
    Instant startedAt,
    boolean draining,
    boolean warm,
    String template,
    String replaces,
    boolean protect,
    int restarts,
    Exit exit) {

  public Replica {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(readiness, "readiness");
    address = address == null ? "" : address;
    Objects.requireNonNull(createdAt, "createdAt");
    startedAt = startedAt == null ? createdAt : startedAt;
    template = template == null ? "" : template;
    replaces = replaces == null ? "" : replaces;
    exit = exit == null ? Exit.NONE : exit;
  }

  /** The container's state on the runtime. */
  public enum State {
    /** Created and not started (yet, or ever). */
    CREATED,
    RUNNING,
    /** Being restarted in place by the runtime's restart policy. */
    RESTARTING,
    /** Frozen ({@code docker pause}): it holds its connections and answers nothing. */
    PAUSED,
    /** Exited or dead: it will not serve again and is removed (and replaced, when needed). */
    EXITED
  }

  /** What the readiness probe says. */
  public enum Readiness {
    /** Not probed yet, or not answered yet since it started. */
    UNKNOWN,
    READY,
    /** It answered once, and then failed its probe {@code retries} times in a row. */
    UNHEALTHY
  }

  /** Why a container exited: its exit code, and whether the kernel killed it for memory. */
  public record Exit(int code, boolean oomKilled, String error) {
    public static final Exit NONE = new Exit(0, false, "");

    public Exit {
      error = error == null ? "" : error;
    }

    /** For users: what happened, and the fix when there is an obvious one. */
    public String describe() {
      if (oomKilled) {
        return "OOM-killed (exit code " + code + "): raise resources.memory";
      }
      return "exited with code " + code + (error.isEmpty() ? "" : " (" + error + ")");
    }
  }

  public Replica withReadiness(Readiness r) {
    return new Replica(
        id, name, service, index, state, r, address, createdAt, startedAt, draining, warm, template,
        replaces, protect, restarts, exit);
  }

  /** May take traffic: running, probed ready, addressable, and not on its way out. */
  public boolean ready() {
    return state == State.RUNNING && readiness == Readiness.READY && !address.isEmpty();
  }

  /** Counts toward the service's replicas: not draining, not in the warm pool, not exited. */
  public boolean active() {
    return !draining && !warm && state != State.EXITED;
  }
}
