package dev.dockscale.runtime.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.Images;
import dev.dockscale.docker.LocalBaseImage;
import dev.dockscale.engine.ServiceScheduler;
import dev.dockscale.engine.ServiceTemplate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service API on a real one-node swarm: conflicts retried, other services never touched. */
class SwarmRuntimeIT {

  private static DockerClient docker;
  private static SwarmNode swarm;
  private final String project = "dsit-swrt-" + UUID.randomUUID().toString().substring(0, 6);
  private SwarmRuntime runtime;

  @BeforeAll
  static void swarm() {
    docker = Docker.connect();
    swarm = SwarmNode.ensure(docker);
  }

  @AfterAll
  static void leave() throws Exception {
    swarm.close();
    docker.close();
  }

  @AfterEach
  void removeProject() {
    if (runtime != null) {
      runtime.removeProject(project, project + "-net");
      runtime.close();
    }
  }

  private ServiceTemplate template(String image) {
    return new ServiceTemplate(
        project,
        project + "-net",
        "web",
        image,
        Map.of("SLOT", "{{.Task.Slot}}"),
        0.1,
        64L << 20,
        List.of("node.role==manager"),
        Duration.ofSeconds(3),
        "t1");
  }

  @Test
  void aChangeRefusedForAStaleVersionIsReadAgainAndMadeOnTheCurrentOne() {
    runtime = new SwarmRuntime(docker, new Images(docker, s -> {}, List.of()), Clock.systemUTC());
    runtime.ensureNetwork(project, project + "-net");
    runtime.scale(template(LocalBaseImage.TAG), 1);
    assertThat(runtime.scheduled(project, "web")).contains(new ServiceScheduler.Scheduled(1, "t1"));

    AtomicInteger tries = new AtomicInteger();
    runtime.update(
        project,
        "web",
        found -> {
          if (tries.incrementAndGet() == 1) {
            // Someone else changes the service between dockscale's read and its write.
            var s = docker.inspectServiceCmd(found.id()).exec();
            docker
                .updateServiceCmd(
                    found.id(), s.getSpec().withLabels(withLabel(s.getSpec().getLabels())))
                .withVersion(s.getVersion().getIndex())
                .exec();
          }
          return found.withReplicas(3);
        });

    assertThat(tries).hasValue(2);
    assertThat(runtime.scheduled(project, "web"))
        .map(ServiceScheduler.Scheduled::replicas)
        .contains(3);
    var labels =
        docker
            .listServicesCmd()
            .withNameFilter(List.of(project + "-web"))
            .exec()
            .get(0)
            .getSpec()
            .getLabels();
    assertThat(labels)
        .as("the other writer's change, kept")
        .containsEntry("changed-by", "someone-else");
  }

  private static Map<String, String> withLabel(Map<String, String> labels) {
    var more = new java.util.HashMap<>(labels);
    more.put("changed-by", "someone-else");
    return more;
  }

  @Test
  void aServiceWithoutItsLabelsIsNeitherSeenNorScaledNorRemoved() {
    runtime = new SwarmRuntime(docker, new Images(docker, s -> {}, List.of()), Clock.systemUTC());
    runtime.ensureNetwork(project, project + "-net");
    String foreign = project + "-foreign";
    var created =
        docker
            .createServiceCmd(
                new com.github.dockerjava.api.model.ServiceSpec()
                    .withName(foreign)
                    .withTaskTemplate(
                        new com.github.dockerjava.api.model.TaskSpec()
                            .withContainerSpec(
                                new com.github.dockerjava.api.model.ContainerSpec()
                                    .withImage(LocalBaseImage.TAG)
                                    .withCommand(List.of("sleep", "600")))))
            .exec();
    try {
      long version = docker.inspectServiceCmd(created.getId()).exec().getVersion().getIndex();
      runtime.scale(template(LocalBaseImage.TAG), 1);

      assertThat(runtime.replicas(project, project + "-net"))
          .allSatisfy(r -> assertThat(r.service()).isEqualTo("web"));
      runtime.retire(project, "foreign");
      runtime.removeProject(project, project + "-net");
      assertThat(docker.inspectServiceCmd(created.getId()).exec().getVersion().getIndex())
          .as("the foreign service's spec version")
          .isEqualTo(version);
    } finally {
      docker.removeServiceCmd(created.getId()).exec();
    }
  }
}
