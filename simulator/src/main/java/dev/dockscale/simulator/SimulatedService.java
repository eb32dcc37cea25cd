package dev.dockscale.simulator;

import dev.dockscale.config.ServiceSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * What the simulator charges for a service, each a knob of {@code dockscale simulate} with the
 * default given here (docs/policies.md, "The model").
 *
 * @param cpus what each replica may use, in cores; a ready replica serves at most this much demand
 * @param memoryMb memory percentages are taken of this, per replica
 * @param startup a new replica is ready this long after it starts (and costs from the start)
 * @param drain a removed replica takes no new requests but is alive (and costs) this much longer
 * @param burstShare share of its CPU a replica spends on itself (JIT, caches) for {@code burstFor}
 *     after it is ready: it serves that much less, and its CPU reading shows it
 * @param burstFor how long the start-up burst lasts after ready
 * @param requestCpu CPU time one request takes: demand in cores divided by it is the request rate
 * @param workers requests a replica serves at once (its servers in the M/M/c model)
 * @param timeout a request that would wait longer than this is dropped (a failed request)
 */
public record SimulatedService(
    double cpus,
    double memoryMb,
    Duration startup,
    Duration drain,
    double burstShare,
    Duration burstFor,
    Duration requestCpu,
    int workers,
    Duration timeout) {

  public static final double DEFAULT_BURST_SHARE = 0.5;
  public static final Duration DEFAULT_BURST_FOR = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_CPU = Duration.ofMillis(10);
  public static final int DEFAULT_WORKERS = 1;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public SimulatedService {
    if (!(cpus > 0) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException("cpus must be > 0, got " + cpus);
    }
    requireNotNegative("startup", startup);
    requireNotNegative("drain", drain);
    requireNotNegative("burst-for", burstFor);
    if (!(burstShare >= 0 && burstShare < 1)) {
      throw new IllegalArgumentException(
          "burst share must be from 0 to below 1 (a replica serves 1 - share), got " + burstShare);
    }
    Objects.requireNonNull(requestCpu, "requestCpu");
    if (requestCpu.isZero() || requestCpu.isNegative()) {
      throw new IllegalArgumentException("request-cpu must be > 0, got " + requestCpu);
    }
    if (workers < 1 || workers > 10_000) {
      throw new IllegalArgumentException("workers must be from 1 to 10000, got " + workers);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
    }
  }

  /** The service as configured, with the defaults above for what config does not say. */
  public static SimulatedService of(ServiceSpec spec) {
    return new SimulatedService(
        spec.resources().cpus(),
        spec.resources().memoryBytes() / (1024.0 * 1024.0),
        spec.startup(),
        spec.drain(),
        DEFAULT_BURST_SHARE,
        DEFAULT_BURST_FOR,
        DEFAULT_REQUEST_CPU,
        DEFAULT_WORKERS,
        DEFAULT_TIMEOUT);
  }

  /** Requests per second one replica serves at full CPU. */
  double requestsPerReplica() {
    return cpus / seconds(requestCpu);
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static void requireNotNegative(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + d);
    }
  }

  public SimulatedService withStartup(Duration d) {
    return new SimulatedService(
        cpus, memoryMb, d, drain, burstShare, burstFor, requestCpu, workers, timeout);
  }

  public SimulatedService withDrain(Duration d) {
    return new SimulatedService(
        cpus, memoryMb, startup, d, burstShare, burstFor, requestCpu, workers, timeout);
  }

  public SimulatedService withBurst(double share, Duration duration) {
    return new SimulatedService(
        cpus, memoryMb, startup, drain, share, duration, requestCpu, workers, timeout);
  }

  public SimulatedService withRequests(Duration cpu, int workerCount, Duration timeoutAfter) {
    return new SimulatedService(
        cpus, memoryMb, startup, drain, burstShare, burstFor, cpu, workerCount, timeoutAfter);
  }
}
