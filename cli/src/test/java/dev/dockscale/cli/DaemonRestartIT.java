package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.loadtest.LoadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Docker daemon stopped and started while dockscale runs: dockscale keeps running, acts on
 * nothing while it cannot see, and afterwards restores the replicas and the balancer by itself.
 */
class DaemonRestartIT extends DockerIT {

  @Test
  void survivesADaemonRestartAndRestoresServiceByItself() throws Exception {
    project =
        ItProject.create(
            "daemon", ItProject.service(2, 3, "preset: classic\ncpu: { up: 95, down: 1 }\n"));
    project.startServing(2);

    LoadGenerator load =
        new LoadGenerator(project.url("/"), 2, () -> 2, Duration.ofMinutes(4), 2_000_000).start();
    project.awaitTicks(2);
    long stop = System.nanoTime();
    try {
      run("sh", "-c", "pkill -TERM -x dockerd");
      await().atMost(Duration.ofSeconds(60)).until(() -> run("docker", "info") != 0);
      System.out.printf("[figure] daemon stopped in %.1f s%n", (System.nanoTime() - stop) / 1e9);
      // While it is gone: dockscale keeps running, says so, and decides nothing new.
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  project.latest.get().problems().stream()
                      .anyMatch(p -> p.contains("cannot be observed")));
      assertThat(project.latest.get().decision().desired()).isEqualTo(2);
      assertThat(project.latest.get().acted()).isEmpty();
    } finally {
      long start = System.nanoTime();
      assertThat(run("bash", ensureDocker().toString())).as("dockerd restarted").isZero();
      System.out.printf(
          "[figure] daemon start took %.1f s (scripts/ensure-docker.sh)%n",
          (System.nanoTime() - start) / 1e9);
    }
    long start = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> project.settledAt(2) && Http.ok(project.url("/")));
    long recovered = System.nanoTime();
    System.out.printf(
        "[figure] daemon up -> 2 replicas ready through nginx again: %.1f s%n",
        (recovered - start) / 1e9);
    project.awaitTicks(3);
    load.close();
    long outside = load.failureTimes().stream().filter(t -> t < stop || t > recovered).count();
    System.out.printf(
        "[figure] requests around the daemon restart: %d ok, %d failed %s, %d outside the outage;"
            + " %d sent once more%n",
        load.ok(), load.failed(), load.failures(), outside, load.resent());
    assertThat(outside).as("failed requests before the daemon stopped or after recovery").isZero();
    assertThat(project.latest.get().decision().desired()).isEqualTo(2);
  }

  private static Path ensureDocker() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("scripts/ensure-docker.sh");
      if (Files.exists(script)) {
        return script;
      }
    }
    throw new IllegalStateException("scripts/ensure-docker.sh not found above " + Path.of(""));
  }

  private static int run(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(150, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
