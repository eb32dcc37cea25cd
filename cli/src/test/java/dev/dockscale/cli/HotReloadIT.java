package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Replica;
import dev.dockscale.loadtest.LoadGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config file edited while dockscale runs: a new image rolls the replicas one at a time with
 * zero failed requests; a broken file is refused and the running config stays.
 */
class HotReloadIT extends DockerIT {

  private static final String V2 = "dockscale-test/sample-backend:v2";

  @TempDir Path dir;

  @AfterEach
  void removeTag() {
    if (project != null) {
      try {
        project.stack.docker().removeImageCmd(V2).withNoPrune(true).exec();
      } catch (RuntimeException e) {
        System.out.println("tag " + V2 + ": " + e.getMessage());
      }
    }
  }

  private static String service(String image) {
    return """
          web:
            image: %s
            env: { SERVER_NAME: "{{name}}", SHUTDOWN_GRACE: "3" }
            resources: { cpus: 0.5, memory: 256m }
            health: { path: /health }
            replicas: { min: 2, max: 3 }
            scale: { preset: classic, cpu: { up: 95, down: 1 } }
            drain: 2s
            stop-timeout: 5s
        """
        .formatted(image);
  }

  @Test
  void aNewImageRollsWithoutAFailedRequestAndABrokenFileChangesNothing() throws Exception {
    project =
        ItProject.create(
            "reload",
            service("dockscale/sample-backend:latest")
                .lines()
                .skip(1)
                .map(l -> l + "\n")
                .collect(Collectors.joining()));
    var docker = project.stack.docker();
    String id = docker.inspectImageCmd("dockscale/sample-backend:latest").exec().getId();
    docker.tagImageCmd(id, "dockscale-test/sample-backend", "v2").exec();

    Path file = dir.resolve("dockscale.yml");
    Files.writeString(
        file,
        ItProject.yaml(project.project, project.port, service("dockscale/sample-backend:latest")));
    Controller controller = project.startServing(2);
    Set<String> before = ids();

    try (ConfigWatcher watcher = new ConfigWatcher(file, controller::reload);
        LoadGenerator load =
            new LoadGenerator(project.url("/"), 2, () -> 2, Duration.ofMinutes(3), 5_000_000)
                .start()) {
      watcher.start();
      long start = System.nanoTime();
      Files.writeString(file, ItProject.yaml(project.project, project.port, service(V2)));
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> project.settledAt(2) && ids().stream().noneMatch(before::contains));
      System.out.printf(
          "[figure] image change -> 2 replicas rolled: %.1f s%n",
          (System.nanoTime() - start) / 1e9);
      Set<String> rolled = ids();
      assertThat(
              rolled.stream()
                  .map(i -> docker.inspectContainerCmd(i).exec().getConfig().getImage())
                  .toList())
          .containsOnly(V2);

      Files.writeString(file, "services:\n  web:\n    image: [unclosed\n");
      project.awaitTicks(4);
      assertThat(ids()).as("replicas after a broken reload").isEqualTo(rolled);
      assertThat(Http.ok(project.url("/"))).isTrue();

      load.close();
      System.out.printf(
          "[figure] requests during the roll: %d ok, %d failed %s, %d sent once more%n",
          load.ok(), load.failed(), load.failures(), load.resent());
      assertThat(load.failures())
          .as("non-2xx answers during the roll (no answer: %s)", load.noAnswerCauses())
          .isEmpty();
      assertThat(load.byServer().keySet()).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  private Set<String> ids() {
    return project.latest.get().replicas().stream()
        .filter(Replica::active)
        .map(Replica::id)
        .collect(Collectors.toSet());
  }
}
