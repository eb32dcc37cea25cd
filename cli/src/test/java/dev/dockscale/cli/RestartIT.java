package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Stopping dockscale leaves the service serving; starting it again adopts what is there. */
class RestartIT extends DockerIT {

  @Test
  void adoptsRunningReplicasAfterARestartWithoutCreatingOrReloadingAnything() {
    project =
        ItProject.create(
            "restart", ItProject.service(3, 4, "preset: classic\ncpu: { up: 95, down: 1 }\n"));
    project.startServing(3);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> project.stack.balancer().currentConfig().split("max_fails").length - 1 == 3);

    Set<String> before = ids(project.latest.get());
    List<String> containersBefore = project.containers();
    String nginxBefore = project.stack.balancer().currentConfig();
    project.stopLoop();
    assertThat(Http.ok(project.url("/"))).as("serving while dockscale is stopped").isTrue();

    // A second dockscale process: new stack, new controller, same project.
    try (Stack again = new Stack(project.config, n -> {})) {
      Controller restarted = again.controller(false);
      for (int i = 0; i < 5; i++) {
        ServiceStatus status = restarted.tick().get(0);
        assertThat(status.active()).isEqualTo(3);
        assertThat(ids(status)).isEqualTo(before);
        assertThat(status.acted()).isEmpty();
      }
      restarted.close();
      assertThat(again.balancer().currentConfig()).isEqualTo(nginxBefore);
    }
    assertThat(project.containers()).containsExactlyInAnyOrderElementsOf(containersBefore);
    assertThat(Http.ok(project.url("/"))).isTrue();
  }

  private static Set<String> ids(ServiceStatus s) {
    return s.replicas().stream().map(Replica::id).collect(Collectors.toSet());
  }
}
