package dev.dockscale.simulator;

import dev.dockscale.config.ServiceSpec;
import java.time.Duration;

/**
 * What the simulator models of a service: each ready replica serves up to {@code cpus} cores, a new
 * replica is ready {@code startup} after it starts, and memory percentages are taken of {@code
 * memoryMb} per replica.
 */
public record SimulatedService(double cpus, double memoryMb, Duration startup) {

  public static SimulatedService of(ServiceSpec spec) {
    return new SimulatedService(
        spec.resources().cpus(),
        spec.resources().memoryBytes() / (1024.0 * 1024.0),
        spec.startup());
  }
}
