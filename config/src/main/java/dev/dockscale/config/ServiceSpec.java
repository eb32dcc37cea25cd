package dev.dockscale.config;

import dev.dockscale.policy.Change;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scaled service, validated.
 *
 * @param name the service's name (label {@code dockscale.service})
 * @param image the image each replica runs
 * @param port the container port the balancer forwards to
 * @param env environment of each replica; {@code {{name}}}, {@code {{service}}} and {@code
 *     {{index}}} are replaced per replica
 * @param resources limits per replica
 * @param health how readiness is probed
 * @param policy how the replica count is decided
 * @param path the URL prefix the balancer routes to this service
 * @param drain on scale-in: time between leaving the balancer and SIGTERM
 * @param stopTimeout time between SIGTERM and SIGKILL
 * @param startup the simulator's time from start to ready (the real loop measures it)
 * @param placement Swarm placement constraints, e.g. {@code node.role==worker} (only with {@code
 *     runtime: swarm})
 * @param warm replicas kept started, ready and paused beside the serving ones, so a scale-out
 *     unpauses one instead of starting it ({@code replicas.warm})
 */
public record ServiceSpec(
    String name,
    String image,
    int port,
    Map<String, String> env,
    Resources resources,
    HealthSpec health,
    ScalingPolicy policy,
    String path,
    Duration drain,
    Duration stopTimeout,
    Duration startup,
    int warm,
    Duration batchWait,
    List<String> placement) {

  public ServiceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    env = Map.copyOf(env);
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(policy, "policy");
    placement = List.copyOf(placement);
    Objects.requireNonNull(batchWait, "batchWait");
    if (warm < 0) {
      throw new IllegalArgumentException("warm must be >= 0, got " + warm);
    }
  }

  /**
   * Per-replica limits: CPUs (Docker's NanoCPUs), memory in bytes, and an optional cpuset.
   *
   * @param startupCpus the CPUs a replica may use until it is first ready (a start-up boost), then
   *     {@code cpus}; equal to {@code cpus} for none
   */
  public record Resources(double cpus, long memoryBytes, String cpuset, double startupCpus) {

    /** Limits without a start-up boost. */
    public Resources(double cpus, long memoryBytes, String cpuset) {
      this(cpus, memoryBytes, cpuset, cpus);
    }

    public boolean boosted() {
      return startupCpus > cpus;
    }
  }

  /**
   * Readiness, probed by dockscale from outside the replica (through the balancer's loopback-only
   * probe port): {@code GET path} on the container port must answer 2xx or 3xx, or, with {@code
   * tcp}, the port must accept a connection. A starting replica is probed often, a ready one every
   * {@code interval}; {@code retries} failures in a row make it unhealthy.
   *
   * @param startPeriod a replica not ready this long after its start is replaced
   * @param replaceAfter a replica unhealthy this long without a break is replaced
   * @param maxReplacing how many replicas (or what share of them) may be replaced at once for
   *     failing their probe, so that a host too busy to answer probes is not given more starts
   */
  public record HealthSpec(
      String path,
      boolean tcp,
      Duration interval,
      Duration timeout,
      int retries,
      Duration startPeriod,
      Duration replaceAfter,
      Change maxReplacing) {}

  /** This service with {@code policy} in place of its own. */
  public ServiceSpec withPolicy(ScalingPolicy policy) {
    return new ServiceSpec(
        name,
        image,
        port,
        env,
        resources,
        health,
        policy,
        path,
        drain,
        stopTimeout,
        startup,
        warm,
        batchWait,
        placement);
  }

  /** The environment of replica {@code replicaName} (number {@code index}), templates filled in. */
  public Map<String, String> envFor(String replicaName, int index) {
    Map<String, String> filled = new java.util.TreeMap<>();
    env.forEach(
        (key, value) ->
            filled.put(
                key,
                value
                    .replace("{{name}}", replicaName)
                    .replace("{{service}}", name)
                    .replace("{{index}}", Integer.toString(index))));
    return filled;
  }
}
