package dev.dockscale.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a scheduling runtime needs to create a service, filled in by the engine from the config.
 *
 * @param project the project's name (label {@code dockscale.project})
 * @param network the overlay network the tasks join, where the balancer reaches them
 * @param service the service's name
 * @param image the image its tasks run
 * @param env their environment; {@code {{name}}} and {@code {{index}}} become the runtime's own
 *     task name and slot
 * @param cpus the CPU limit of each task, in cores
 * @param memoryBytes the memory limit of each task
 * @param placement the runtime's placement constraints, e.g. {@code node.role==worker}
 * @param stopGracePeriod how long a task has between SIGTERM and SIGKILL: what it has to finish the
 *     requests in flight on scale-in
 * @param template the hash of the image, environment, limits, placement and grace period: a new
 *     hash updates a service dockscale created
 */
public record ServiceTemplate(
    String project,
    String network,
    String service,
    String image,
    Map<String, String> env,
    double cpus,
    long memoryBytes,
    List<String> placement,
    Duration stopGracePeriod,
    String template) {

  public ServiceTemplate {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(image, "image");
    env = Map.copyOf(env);
    placement = List.copyOf(placement);
    Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
    Objects.requireNonNull(template, "template");
  }

  /** The runtime's name of the service: {@code project-service}. */
  public String name() {
    return project + "-" + service;
  }
}
