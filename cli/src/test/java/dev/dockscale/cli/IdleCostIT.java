package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.ReplicaView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Readiness probing costs an idle replica almost nothing: replicas at {@code cpus: 0.25} read well
 * below 10 % when idle, so a service scaled out comes back to its minimum with a down threshold of
 * 15 % (with the old in-replica curl health check they read 15–22 % and never did).
 */
class IdleCostIT extends DockerIT {

  @Test
  void idleQuarterCpuReplicasReadBelowTenPercentAndScaleInReachesMin() {
    project =
        ItProject.create(
            "idle",
            """
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.25, memory: 256m }
                health: { path: /health }
                replicas: { min: 1, max: 3 }
                scale:
                  preset: classic
                  cpu: { up: 70, down: 15 }
                  cooldown: { up: 2s, down: 5s }
                drain: 1s
                stop-timeout: 3s
            """);
    project.startServing(1);
    try (LoadGenerator load =
        new LoadGenerator(project.url("/cpu?ms=50"), 6, () -> 6, Duration.ofSeconds(90), 1_000_000)
            .start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> project.settledAt(3));
    }
    long start = System.nanoTime();
    await().atMost(Duration.ofSeconds(90)).until(() -> project.settledAt(1));
    System.out.printf(
        "[figure] load stop -> back to min 1 from 3 at cpus 0.25 (down threshold 15 %%): %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    // Idle at min, probed every 2 s: what watching costs the replica.
    List<Double> idle = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      project.awaitTicks(1);
      for (ReplicaView r : project.latest.get().decision().inputs()) {
        Double cpu = r.readings().get(Metric.CPU);
        if (cpu != null) {
          idle.add(cpu);
        }
      }
    }
    double mean = idle.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    System.out.printf(
        "[figure] idle replica CPU at cpus 0.25, probed every 2 s: mean %.1f %% of its limit over %d readings (max %.1f %%)%n",
        mean, idle.size(), idle.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    assertThat(idle).hasSizeGreaterThanOrEqualTo(5);
    assertThat(mean).as("mean idle CPU %% of the limit").isLessThan(10.0);
  }
}
