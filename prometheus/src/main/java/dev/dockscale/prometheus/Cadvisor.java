package dev.dockscale.prometheus;

import java.util.regex.Pattern;

/**
 * The names cAdvisor gives container metrics and their labels: what the agent serves, so that a
 * user who already runs cAdvisor needs no agent, and what {@link PromqlMetricsSource} reads.
 */
final class Cadvisor {

  /** CPU time used since the container started, in seconds (a counter). */
  static final String CPU = "container_cpu_usage_seconds_total";

  /** {@link #CPU} as a counter is named to Prometheus' client, which appends {@code _total}. */
  static final String CPU_COUNTER = "container_cpu_usage_seconds";

  /** Memory in use less the inactive page cache, in bytes: what {@code docker stats} shows. */
  static final String MEMORY = "container_memory_working_set_bytes";

  /** The container's cgroup from a controller's root: {@code /docker/<id>}. */
  static final String ID = "id";

  static final String NAME = "name";
  static final String IMAGE = "image";

  /** Each Docker label of the container, under this prefix, its name made a Prometheus name. */
  static final String LABEL_PREFIX = "container_label_";

  private static final Pattern NOT_IN_A_NAME = Pattern.compile("[^a-zA-Z0-9_]");

  private Cadvisor() {}

  /**
   * {@code com.docker.swarm.service.name} → {@code container_label_com_docker_swarm_service_name}.
   */
  static String label(String dockerLabel) {
    return LABEL_PREFIX + NOT_IN_A_NAME.matcher(dockerLabel).replaceAll("_");
  }

  /**
   * The container id in a cgroup path as cAdvisor's {@code id} label has it: {@code /docker/<id>}
   * (cgroupfs) or {@code /system.slice/docker-<id>.scope} (systemd).
   */
  static String containerId(String cgroup) {
    String last = cgroup.substring(cgroup.lastIndexOf('/') + 1);
    if (last.startsWith("docker-") && last.endsWith(".scope")) {
      return last.substring("docker-".length(), last.length() - ".scope".length());
    }
    return last;
  }
}
