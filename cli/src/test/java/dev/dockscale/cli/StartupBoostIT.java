package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.dockscale.engine.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A start-up boost on the real engine: replicas of two services (the sample backend, and a Python
 * app that is not ours and waits 5 s before it listens) start with {@code startup-cpus} and are set
 * to {@code cpus} once ready, each to its own service's.
 */
class StartupBoostIT extends DockerIT {

  @Test
  void replicasStartWithTheirStartupCpusAndAreSetToTheirLimitOnceReady() {
    project =
        ItProject.createServices(
            "boost",
            """
              web:
                image: dockscale/sample-backend:latest
                resources: { cpus: 0.5, startup-cpus: 2, memory: 256m }
                health: { path: /health }
                replicas: { min: 2, max: 2 }
              api:
                image: %s
                path: /api
                env: { STARTUP_DELAY_MS: "5000" }
                resources: { cpus: 0.25, startup-cpus: 1, memory: 128m }
                health: { path: /healthz }
                replicas: { min: 1, max: 1 }
            """
                .formatted(MultiServiceIT.FLASK));
    project.startLoop();
    // The Python app listens only after 5 s: until then it runs with its start-up CPUs.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> nanoCpus("api").equals(List.of(1_000_000_000L)));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> nanoCpus("api").equals(List.of(1_000_000_000L)));
    assertThat(project.status("api") == null || project.status("api").ready() == 0)
        .as("the Python app is not ready yet")
        .isTrue();

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> project.settledAt("web", 2) && project.settledAt("api", 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                nanoCpus("web").equals(List.of(500_000_000L, 500_000_000L))
                    && nanoCpus("api").equals(List.of(250_000_000L)));
    assertThat(labels("web")).allMatch(l -> "2".equals(l.get(Labels.STARTUP_CPUS)));
    assertThat(project.status("web").problems()).isEmpty();
    assertThat(Http.ok(project.url("/"))).isTrue();
    assertThat(Http.ok(project.url("/api/healthz"))).isTrue();
  }

  /** The CPU limits (NanoCPUs) of the service's replicas, as the Engine has them now. */
  private List<Long> nanoCpus(String service) {
    List<Long> limits = new ArrayList<>();
    for (String id : ids(service)) {
      try {
        limits.add(
            project.stack.docker().inspectContainerCmd(id).exec().getHostConfig().getNanoCPUs());
      } catch (NotFoundException gone) {
        // Removed between the list and the inspect: the next look lists what is there.
        return List.of();
      }
    }
    return limits;
  }

  private List<Map<String, String>> labels(String service) {
    return ids(service).stream()
        .map(id -> project.stack.docker().inspectContainerCmd(id).exec().getConfig().getLabels())
        .toList();
  }

  private List<String> ids(String service) {
    return project
        .stack
        .docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(
            Map.of(
                Labels.PROJECT,
                project.config.project(),
                Labels.SERVICE,
                service,
                Labels.ROLE,
                Labels.ROLE_REPLICA))
        .exec()
        .stream()
        .map(c -> c.getId())
        .toList();
  }
}
