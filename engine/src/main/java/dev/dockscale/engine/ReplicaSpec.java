package dev.dockscale.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the runtime needs to create one replica, filled in by the engine: the runtime port knows
 * nothing of the config file's schema.
 *
 * @param project the project's name (label {@code dockscale.project})
 * @param network the network the replica joins
 * @param service the service's name
 * @param index the replica's number
 * @param image the image it runs
 * @param env its environment, templates already filled in
 * @param cpus its CPU limit in cores
 * @param startupCpus its CPU limit until it is first ready (a start-up boost); {@code cpus} for
 *     none
 * @param memoryBytes its memory limit
 * @param cpuset the CPUs it may run on, empty for any
 * @param template the hash of everything above that a roll replaces replicas for
 * @param replaces the id of the replica it replaces, empty for none
 * @param warm whether it is started for the warm pool (paused once ready, never routed)
 */
public record ReplicaSpec(
    String project,
    String network,
    String service,
    int index,
    String image,
    Map<String, String> env,
    double cpus,
    double startupCpus,
    long memoryBytes,
    String cpuset,
    String template,
    String replaces,
    boolean warm) {

  public ReplicaSpec {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(image, "image");
    env = Map.copyOf(env);
    cpuset = cpuset == null ? "" : cpuset;
    startupCpus = Math.max(startupCpus, cpus);
    replaces = replaces == null ? "" : replaces;
  }

  /** Whether it starts with more CPUs than its limit, until it is first ready. */
  public boolean boosted() {
    return startupCpus > cpus;
  }

  /** The container name: {@code project-service-index}. */
  public String name() {
    return nameOf(project, service, index);
  }

  public static String nameOf(String project, String service, int index) {
    return project + "-" + service + "-" + index;
  }

  /** The environment as Docker takes it: {@code KEY=value}, sorted. */
  public List<String> envList() {
    return env.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
  }
}
