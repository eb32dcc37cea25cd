package dev.dockscale.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A whole {@code dockscale.yml}, validated.
 *
 * @param project prefix of every name dockscale gives (containers, network) and label {@code
 *     dockscale.project}; two projects on one host stay apart
 * @param interval how often each service is observed and decided on
 * @param services the scaled services, by name, in file order
 * @param balancer the nginx load balancer in front of them
 */
public record DockscaleConfig(
    String project, Duration interval, Map<String, ServiceSpec> services, BalancerSpec balancer) {

  public DockscaleConfig {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(interval, "interval");
    services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    Objects.requireNonNull(balancer, "balancer");
  }

  /**
   * The load balancer: where it is published on the host, and its image (nginx, from the official
   * image or the local base).
   */
  public record BalancerSpec(String host, int port, String image) {
    public String listen() {
      return host + ":" + port;
    }
  }

  public String networkName() {
    return project + "-net";
  }

  public String balancerName() {
    return project + "-lb";
  }
}
