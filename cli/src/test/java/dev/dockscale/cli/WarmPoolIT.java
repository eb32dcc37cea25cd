package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A warm pool on the real engine: a replica started, probed ready and paused beside the serving
 * one; a scale-out unpauses it into service instead of starting a container, and the pool is
 * refilled.
 */
class WarmPoolIT extends DockerIT {

  @Test
  void aScaleOutUnpausesTheWarmReplicaAndThePoolRefills() {
    project =
        ItProject.create(
            "warm",
            """
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.5, memory: 256m }
                health: { path: /health }
                replicas: { min: 1, max: 3, warm: 1 }
                scale: { preset: classic, cpu: { up: 70, down: 20 }, cooldown: { up: 1s, down: 60s } }
                drain: 2s
            """);
    project.startServing(1);
    await().atMost(Duration.ofSeconds(60)).until(() -> pausedWarm(project.latest.get()) == 1);
    assertThat(project.latest.get().active()).isEqualTo(1);
    project.awaitTicks(3);

    long start = System.nanoTime();
    try (LoadGenerator load =
        new LoadGenerator(project.url("/cpu?ms=50"), 6, () -> 6, Duration.ofSeconds(60), 1_000_000)
            .start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> load.byServer().size() >= 2);
      System.out.printf(
          "[figure] warm pool: load start -> second replica serving through nginx: %.1f s%n",
          (System.nanoTime() - start) / 1e9);
      assertThat(project.latest.get().replicas())
          .anyMatch(r -> r.name().endsWith("-web-2") && !r.warm() && r.active());
      await().atMost(Duration.ofSeconds(60)).until(() -> project.latest.get().warm() >= 1);
      load.close();
      assertThat(load.failures())
          .as("non-2xx answers under load (no answer: %s)", load.noAnswerCauses())
          .isEmpty();
    }
  }

  private static long pausedWarm(ServiceStatus s) {
    return s == null
        ? 0
        : s.replicas().stream().filter(r -> r.warm() && r.state() == Replica.State.PAUSED).count();
  }
}
