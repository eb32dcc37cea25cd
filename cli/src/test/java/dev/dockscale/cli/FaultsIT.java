package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.docker.ContainerExec;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Faults under a light steady load through nginx on 127.0.0.1: a replica killed, one exiting by
 * itself, one hung ({@code docker pause}), the balancer killed. Each is healed without a hand; the
 * time to recover is printed, and no request fails outside the hang and balancer windows.
 */
class FaultsIT extends DockerIT {

  /** A window of time in which failed requests are allowed (System.nanoTime). */
  private record Window(String fault, long from, long to) {}

  @Test
  void healsKilledExitedHungReplicasAndAKilledBalancerUnderLoad() {
    project =
        ItProject.create(
            "faults",
            """
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}", SHUTDOWN_GRACE: "2" }
                resources: { cpus: 0.5, memory: 256m }
                health: { path: /health, interval: 1s, timeout: 500ms, retries: 2, start-period: 30s, replace-after: 4s }
                replicas: { min: 2, max: 2 }
                scale: { preset: classic, cpu: { up: 99, down: 1 } }
                drain: 1s
                stop-timeout: 3s
            """);
    project.startServing(2);
    List<Window> allowed = new ArrayList<>();
    try (LoadGenerator load =
        new LoadGenerator(project.url("/"), 2, () -> 2, Duration.ofMinutes(5), 5_000_000).start()) {
      String killed = replica(0).id();
      recover(
          "replica killed (docker kill)",
          () -> project.stack.docker().killContainerCmd(killed).exec(),
          () -> project.settledAt(2) && ids().noneMatch(killed::equals));
      assertThat(load.failed()).as("failures after the kill").isZero();

      Replica exiting = replica(1);
      recover(
          "replica exited by itself (SIGTERM to its process)",
          () -> {
            ContainerExec.Result r =
                ContainerExec.run(
                    project.stack.docker(),
                    exiting.id(),
                    Duration.ofSeconds(5),
                    "sh",
                    "-c",
                    "kill -TERM 1");
            assertThat(r.ok()).as("kill in " + exiting.name() + ": " + r).isTrue();
          },
          () -> project.settledAt(2) && restartedSince(exiting));
      assertThat(load.failed()).as("failures after the exit").isZero();

      String hung = replica(0).id();
      long hangStart = System.nanoTime();
      recover(
          "replica hung (docker pause)",
          () -> project.stack.docker().pauseContainerCmd(hung).exec(),
          () -> project.settledAt(2) && ids().noneMatch(hung::equals));
      allowed.add(new Window("hang", hangStart, System.nanoTime()));

      String lb = project.containerId(project.config.balancerName());
      long lbStart = System.nanoTime();
      recover(
          "balancer killed (docker kill)",
          () -> project.stack.docker().killContainerCmd(lb).exec(),
          () -> Http.ok(project.url("/")));
      allowed.add(new Window("balancer", lbStart, System.nanoTime() + 1_000_000_000L));

      project.awaitTicks(3);
      load.close();
      List<Long> outside =
          load.failureTimes().stream()
              .filter(t -> allowed.stream().noneMatch(w -> t >= w.from() && t <= w.to()))
              .toList();
      for (Window w : allowed) {
        long n = load.failureTimes().stream().filter(t -> t >= w.from() && t <= w.to()).count();
        System.out.printf(
            "[figure] failed requests in the %s window (%.1f s): %d%n",
            w.fault(), (w.to() - w.from()) / 1e9, n);
      }
      System.out.printf(
          "[figure] faults under load: %d ok, %d failed %s, %d of them outside the windows; %d sent"
              + " once more%n",
          load.ok(), load.failed(), load.failures(), outside.size(), load.resent());
      assertThat(outside).as("failed requests outside the hang and balancer windows").isEmpty();
      assertThat(load.ok()).isPositive();
    }
  }

  private Replica replica(int i) {
    return project.latest.get().replicas().stream()
        .filter(Replica::ready)
        .sorted(java.util.Comparator.comparing(Replica::index))
        .toList()
        .get(i);
  }

  private java.util.stream.Stream<String> ids() {
    ServiceStatus s = project.latest.get();
    return s.replicas().stream().map(Replica::id);
  }

  private boolean restartedSince(Replica before) {
    return project.latest.get().replicas().stream()
        .anyMatch(
            r ->
                r.id().equals(before.id())
                    && r.ready()
                    && r.startedAt().isAfter(before.startedAt()));
  }

  private void recover(String fault, Runnable inject, BooleanSupplier recovered) {
    project.awaitTicks(2);
    long start = System.nanoTime();
    inject.run();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> System.nanoTime() - start > 300_000_000L && recovered.getAsBoolean());
    System.out.printf(
        "[figure] recovery: %s -> serving at full strength again: %.1f s%n",
        fault, (System.nanoTime() - start) / 1e9);
  }
}
