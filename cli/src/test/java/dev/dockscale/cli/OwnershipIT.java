package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.dockscale.docker.LocalBaseImage;
import dev.dockscale.engine.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dockscale touches only what carries its labels, on run and on down. */
class OwnershipIT extends DockerIT {
  private final List<String> foreign = new ArrayList<>();

  @AfterEach
  void removeForeignContainers() {
    if (project != null) {
      DockerClient docker = project.stack.docker();
      foreign.forEach(
          id -> {
            try {
              docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException ignored) {
              // Already gone.
            }
          });
    }
  }

  private String startForeign(String name, Map<String, String> labels) {
    DockerClient docker = project.stack.docker();
    String image = LocalBaseImage.ensure(docker);
    String id =
        docker
            .createContainerCmd(image)
            .withName(name)
            .withLabels(labels)
            .withCmd("sleep", "600")
            .withHostConfig(
                HostConfig.newHostConfig().withNetworkMode(project.config.networkName()))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    foreign.add(id);
    return id;
  }

  private boolean running(String id) {
    return Boolean.TRUE.equals(
        project.stack.docker().inspectContainerCmd(id).exec().getState().getRunning());
  }

  @Test
  void leavesContainersWithoutItsLabelsAloneOnRunAndDown() {
    project =
        ItProject.create(
            "own", ItProject.service(1, 2, "preset: classic\ncpu: { up: 70, down: 20 }\n"));
    project.startServing(1);

    // One container with no labels, one that claims the service but not dockscale's ownership.
    String plain = startForeign(project.project + "-stranger", Map.of());
    String impostor =
        startForeign(
            project.project + "-web-9",
            Map.of(Labels.SERVICE, "web", Labels.PROJECT, project.project));
    project.awaitTicks(4);
    assertThat(project.settledAt(1)).as("foreign containers are not counted as replicas").isTrue();
    assertThat(running(plain)).isTrue();
    assertThat(running(impostor)).isTrue();
    assertThat(project.stack.balancer().currentConfig())
        .doesNotContain("-web-9")
        .doesNotContain("-stranger");

    project.stopLoop();
    assertThatThrownBy(project.stack::down)
        .hasMessageContaining("network " + project.config.networkName() + " was kept");
    assertThat(running(plain)).as("unlabelled container after down").isTrue();
    assertThat(running(impostor)).as("container without dockscale.managed after down").isTrue();
    assertThat(project.containers()).containsExactly("/" + project.project + "-web-9");
  }
}
