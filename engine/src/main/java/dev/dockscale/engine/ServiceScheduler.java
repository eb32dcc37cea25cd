package dev.dockscale.engine;

import java.util.Optional;

/**
 * A runtime that schedules a service's replicas itself (Docker Swarm): the engine says how many,
 * the runtime chooses the nodes, starts the tasks, restarts failed ones and picks the tasks to stop
 * on scale-in (each stopped within the service's grace period). The engine never starts or stops a
 * replica here.
 */
public non-sealed interface ServiceScheduler extends ReplicaRuntime {

  /**
   * What the runtime is set to run for the service now; empty when the project has no such service
   * yet.
   */
  Optional<Scheduled> scheduled(String project, String service);

  /**
   * Has the runtime run {@code replicas} replicas of the service: creates it from {@code template}
   * when it is absent, updates a service dockscale created when its template changed, and otherwise
   * sets only its count. A change someone else made meanwhile (a version conflict) is read again
   * and the change retried.
   */
  void scale(ServiceTemplate template, int replicas);

  /**
   * A service of the project that is no longer configured: removed when dockscale created it (its
   * tasks stopped within their grace period), left as it is when it was only found by its labels.
   */
  void retire(String project, String service);

  /**
   * A service as the runtime has it.
   *
   * @param replicas the count it is set to
   * @param template the hash of the template dockscale created it from, empty for a service that
   *     was found by its labels (dockscale then sets its count only)
   */
  record Scheduled(int replicas, String template) {

    /** Whether dockscale created it, and so owns its template. */
    public boolean created() {
      return !template.isEmpty();
    }
  }
}
