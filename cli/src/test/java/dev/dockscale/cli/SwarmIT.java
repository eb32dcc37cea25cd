package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import dev.dockscale.docker.Docker;
import dev.dockscale.loadtest.ArrivalRate;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.loadtest.OpenLoad;
import dev.dockscale.runtime.swarm.SwarmNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code runtime: swarm} on a real one-node swarm, with real nginx on the project's overlay
 * network: two services (our sample backend, and a Python app that is not ours) created from the
 * config, scaled out under load and back by setting their Swarm replica count, without a failed
 * request; a Swarm service without dockscale's labels is never touched.
 */
class SwarmIT extends DockerIT {

  private static SwarmNode swarm;

  @BeforeAll
  static void swarm() {
    swarm = SwarmNode.ensure(Docker.connect());
  }

  @AfterAll
  static void leave() {
    swarm.close();
  }

  private static OpenLoad steady(java.net.URI target) {
    return OpenLoad.to(target)
        .rate(ArrivalRate.constant(20))
        .lasting(Duration.ofMinutes(4))
        .timeout(Duration.ofSeconds(10))
        .start();
  }

  @Test
  void servicesScaleOutUnderLoadAndBackWithoutAFailedRequestAndAForeignServiceIsUntouched() {
    project =
        ItProject.createServices(
            "swarm",
            """
              web:
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.25, memory: 256m }
                health: { path: /health }
                replicas: { min: 1, max: 3 }
                scale: { preset: classic, cpu: { up: 70, down: 20 } }
                drain: 2s
              api:
                image: %s
                path: /api
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.25, memory: 128m }
                health: { path: /healthz }
                replicas: { min: 1, max: 3 }
                scale: { preset: classic, cpu: { up: 60, down: 10 }, cooldown: { up: 3s, down: 10s } }
                drain: 2s
            """
                .formatted(MultiServiceIT.FLASK),
            "runtime: swarm\n");
    var docker = project.stack.docker();
    String foreignId =
        docker
            .createServiceCmd(
                new ServiceSpec()
                    .withName(project.project + "-foreign")
                    .withTaskTemplate(
                        new TaskSpec()
                            .withContainerSpec(
                                new ContainerSpec().withImage("dockscale/sample-backend:latest"))))
            .exec()
            .getId();
    try {
      long foreignVersion = docker.inspectServiceCmd(foreignId).exec().getVersion().getIndex();
      long start = System.nanoTime();
      project.startLoop();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  project.settledAt("web", 1)
                      && project.settledAt("api", 1)
                      && Http.ok(project.url("/"))
                      && Http.ok(project.url("/api/healthz")));
      System.out.printf(
          "[figure] swarm: two services created and ready behind nginx: %.1f s%n",
          (System.nanoTime() - start) / 1e9);

      // Light probes all along (20 requests a second each): they must not be the load themselves.
      try (OpenLoad probe = steady(project.url("/api/"));
          OpenLoad web = steady(project.url("/"))) {
        long loadStart = System.nanoTime();
        try (LoadGenerator load =
            new LoadGenerator(
                    project.url("/api/cpu?ms=40"), 4, () -> 4, Duration.ofSeconds(90), 1_000_000)
                .start()) {
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> load.byServer().size() >= 2);
          System.out.printf(
              "[figure] swarm: load on /api -> second task serving through nginx: %.1f s%n",
              (System.nanoTime() - loadStart) / 1e9);
          project.awaitTicks(5);
          load.close();
          System.out.printf(
              "[figure] swarm: /api load %d ok, %d failed, %d sent once more, by task %s%n",
              load.ok(), load.failed(), load.resent(), load.byServer());
          assertThat(load.failures())
              .as("non-2xx answers on /api under load (no answer: %s)", load.noAnswerCauses())
              .isEmpty();
        }
        assertThat(project.status("web").active()).as("web tasks: only /api was loaded").isOne();
        long quiet = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).until(() -> project.settledAt("api", 1));
        System.out.printf(
            "[figure] swarm: load stop -> back to 1 api task: %.1f s%n",
            (System.nanoTime() - quiet) / 1e9);
        // A few more passes after the last scale-in, to catch a task stopped while still routed.
        project.awaitTicks(3);
        probe.close();
        web.close();
        System.out.printf(
            "[figure] swarm: steady /api through scale-out and in: %s%n", probe.result());
        assertThat(probe.result().failed() + probe.result().timeouts())
            .as("failed requests on /api through scale-out and in: %s", probe.result())
            .isZero();
        assertThat(web.result().failed() + web.result().timeouts())
            .as("failed requests on /: %s", web.result())
            .isZero();
        assertThat(probe.result().ok()).isPositive();
      }
      assertThat(docker.inspectServiceCmd(foreignId).exec().getVersion().getIndex())
          .as("the foreign service's spec version")
          .isEqualTo(foreignVersion);

      project.stopLoop();
      project.stack.down();
      assertThat(
              docker
                  .listServicesCmd()
                  .withNameFilter(List.of(project.project + "-web", project.project + "-api"))
                  .exec())
          .as("dockscale's services after down")
          .isEmpty();
      assertThat(project.containers()).as("labelled containers after down").isEmpty();
      assertThat(docker.inspectServiceCmd(foreignId).exec().getSpec().getName())
          .as("the foreign service after down")
          .isEqualTo(project.project + "-foreign");
    } finally {
      docker.removeServiceCmd(foreignId).exec();
    }
  }

  @Test
  void aServiceFoundByItsLabelsIsScaledByThePolicyOnItsLabelsAndIsKeptOnDown() {
    String name = ItProject.name("swlabels");
    var docker = Docker.connect();
    docker
        .createNetworkCmd()
        .withName(name + "-net")
        .withDriver("overlay")
        .withAttachable(true)
        .withLabels(java.util.Map.of("dockscale.managed", "true", "dockscale.project", name))
        .exec();
    String mine =
        docker
            .createServiceCmd(
                new ServiceSpec()
                    .withName(name + "-mine")
                    .withLabels(
                        java.util.Map.of(
                            "dockscale.project", name,
                            "dockscale.service", "web",
                            "dockscale.replicas.min", "2",
                            "dockscale.replicas.max", "3",
                            "dockscale.health.path", "/health",
                            "owner", "the user"))
                    .withTaskTemplate(
                        new TaskSpec()
                            .withContainerSpec(
                                new ContainerSpec()
                                    .withImage("dockscale/sample-backend:latest")
                                    .withEnv(List.of("SERVER_NAME={{.Task.Name}}")))
                            .withNetworks(
                                List.of(
                                    new com.github.dockerjava.api.model.NetworkAttachmentConfig()
                                        .withTarget(name + "-net"))))
                    .withEndpointSpec(
                        new com.github.dockerjava.api.model.EndpointSpec()
                            .withMode(
                                com.github.dockerjava.api.model.EndpointResolutionMode.DNSRR)))
            .exec()
            .getId();
    try {
      var spec = docker.inspectServiceCmd(mine).exec().getSpec();
      project =
          ItProject.createNamed(
              name,
              """
                web:
                  image: dockscale/sample-backend:latest
                  scale: { preset: classic, cpu: { up: 70, down: 20 } }
              """,
              "runtime: swarm\n",
              dev.dockscale.runtime.swarm.SwarmLabels.read(docker, name));
      assertThat(project.config.services().get("web").policy().min()).isEqualTo(2);
      assertThat(project.config.services().get("web").health().path()).isEqualTo("/health");

      project.startLoop();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> project.settledAt("web", 2) && Http.ok(project.url("/")));
      var after = docker.inspectServiceCmd(mine).exec().getSpec();
      assertThat(after.getMode().getReplicated().getReplicas()).isEqualTo(2);
      assertThat(after.getTaskTemplate().getContainerSpec().getEnv())
          .as("the user's service: only its count changed")
          .isEqualTo(spec.getTaskTemplate().getContainerSpec().getEnv());
      assertThat(after.getLabels()).isEqualTo(spec.getLabels());

      project.stopLoop();
      project.stack.down();
      assertThat(docker.inspectServiceCmd(mine).exec().getSpec().getName())
          .as("a service found by its labels, after down")
          .isEqualTo(name + "-mine");
    } finally {
      docker.removeServiceCmd(mine).exec();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                docker.removeNetworkCmd(name + "-net").exec();
                return true;
              });
    }
  }
}
