package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import java.time.Duration;
import java.util.List;

/**
 * Where replicas run: the Docker Engine today, Swarm later. Every call is idempotent or safe to
 * repeat, and touches only objects carrying dockscale's labels for the given project.
 */
public interface ContainerRuntime {

  /** Creates the project's network when it is absent. */
  void ensureNetwork(String project, String network);

  /** The service's replicas, found by label (draining ones included). */
  List<Replica> replicas(String project, String service);

  /**
   * Creates and starts replica number {@code index} of the service, with its limits and health
   * check.
   */
  Replica start(String project, String network, ServiceSpec spec, int index);

  /** Marks a replica as draining, in a way that outlives a restart of dockscale. */
  void markDraining(Replica replica);

  /** Stops a replica (SIGTERM, then SIGKILL after {@code timeout}) and removes it. */
  void stopAndRemove(Replica replica, Duration timeout);

  /** Removes every container and network of the project; returns what was removed, for the user. */
  List<String> removeProject(String project, String network);
}
