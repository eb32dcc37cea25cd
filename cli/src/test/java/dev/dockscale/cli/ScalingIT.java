package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.loadtest.LoadGenerator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The whole loop on the real Docker engine and real nginx: load in, replicas out, and back. */
class ScalingIT extends DockerIT {

  @Test
  void scalesOutUnderCpuLoadAndBackInWithoutAFailedRequest() {
    project =
        ItProject.create(
            "cpu",
            ItProject.service(
                1,
                4,
                """
        preset: classic
        cpu:    { up: 70, down: 20 }
        memory: { up: 80, down: 30 }
        cooldown: { up: 5s, down: 10s }
        """));
    project.startServing(1);

    try (LoadGenerator probe =
        new LoadGenerator(project.url("/"), 1, () -> 1, Duration.ofMinutes(4), 1_000_000).start()) {
      long start = System.nanoTime();
      Duration secondServing;
      try (LoadGenerator load =
          new LoadGenerator(
                  project.url("/cpu?ms=50"), 6, () -> 6, Duration.ofSeconds(90), 1_000_000)
              .start()) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> project.active() >= 2 && load.byServer().size() >= 2);
        secondServing = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf(
            "[figure] load start -> second replica serving through nginx: %.1f s%n",
            secondServing.toMillis() / 1000.0);
        // Hold the load for ten more ticks, so the scale-out goes on under it.
        project.awaitTicks(10);
        load.close();
        System.out.printf(
            "[figure] cpu load: %d ok, %d failed, %d sent once more, by replica %s%n",
            load.ok(), load.failed(), load.resent(), load.byServer());
        assertThat(load.failures())
            .as("non-2xx answers under load (no answer: %s)", load.noAnswerCauses())
            .isEmpty();
        assertThat(load.byServer()).hasSizeGreaterThanOrEqualTo(2);
      }
      long quietStart = System.nanoTime();
      await().atMost(Duration.ofSeconds(90)).until(() -> project.settledAt(1));
      System.out.printf(
          "[figure] load stop -> back to 1 replica: %.1f s%n",
          (System.nanoTime() - quietStart) / 1e9);
      probe.close();
      assertThat(probe.failures())
          .as("non-2xx answers on / during the whole run (no answer: %s)", probe.noAnswerCauses())
          .isEmpty();
      assertThat(probe.ok()).isPositive();
    }

    project.stopLoop();
    project.stack.down();
    assertThat(project.containers()).as("labelled containers after down").isEmpty();
    assertThat(project.networkExists()).as("network after down").isFalse();
  }

  @Test
  void scalesOutUnderMemoryLoad() {
    project =
        ItProject.create(
            "ram",
            ItProject.service(
                1,
                3,
                """
        preset: classic
        cpu:    { up: 95, down: 20 }
        memory: { up: 60, down: 30 }
        cooldown: { up: 5s, down: 30s }
        """));
    project.startServing(1);
    long start = System.nanoTime();
    try (LoadGenerator load =
        new LoadGenerator(
                project.url("/ram?mb=150&seconds=3"), 1, () -> 1, Duration.ofSeconds(90), 1_000)
            .start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> project.active() >= 2);
      System.out.printf(
          "[figure] memory load start -> second replica: %.1f s%n",
          (System.nanoTime() - start) / 1e9);
      assertThat(project.latest.get().decision().reason()).isNotEmpty();
    }
  }
}
