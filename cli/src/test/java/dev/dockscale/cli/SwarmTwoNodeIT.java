package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.Task;
import dev.dockscale.docker.Docker;
import dev.dockscale.loadtest.ArrivalRate;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.loadtest.OpenLoad;
import dev.dockscale.runtime.swarm.SwarmNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code runtime: swarm} on two nodes: this engine as the manager, and a second Docker engine in a
 * container on the Docker bridge joined as a worker. Runs where that worker can be built and
 * started (its image needs Debian's docker.io package; it runs without {@code --privileged}, with
 * every capability but CAP_SYS_RESOURCE); says why it was skipped where it cannot.
 */
class SwarmTwoNodeIT extends DockerIT {

  private static final String WORKER_IMAGE = "dockscale-test/swarm-worker:1";
  private static final String WORKER = "dsit-swarm-worker";
  private static DockerClient docker;
  private static SwarmNode swarm;

  @BeforeAll
  static void twoNodes() throws Exception {
    docker = Docker.connect();
    Assumptions.assumeFalse(
        SwarmNode.active(docker),
        "two-node swarm skipped: this engine is in a swarm already, which the test would not leave");
    String built =
        run(
            Duration.ofMinutes(5),
            "docker",
            "build",
            "--network",
            "host",
            "-q",
            "-t",
            WORKER_IMAGE,
            Path.of("target/test-classes/swarm-worker").toString());
    Assumptions.assumeTrue(
        built.startsWith("ok"),
        "two-node swarm skipped: the worker's image (Debian's docker.io) cannot be built here: "
            + built);
    String gateway =
        docker
            .inspectNetworkCmd()
            .withNetworkId("bridge")
            .exec()
            .getIpam()
            .getConfig()
            .get(0)
            .getGateway();
    swarm = SwarmNode.init(docker, gateway);
    // Not --privileged, which this engine cannot grant (no CAP_SYS_RESOURCE): the same minus that.
    String started =
        run(
            Duration.ofSeconds(60),
            "docker",
            "run",
            "-d",
            "--name",
            WORKER,
            "--hostname",
            WORKER,
            "--label",
            "dockscale-test=swarm-worker",
            "--cap-add",
            "ALL",
            "--cap-drop",
            "SYS_RESOURCE",
            "--security-opt",
            "seccomp=unconfined",
            "--security-opt",
            "apparmor=unconfined",
            "--security-opt",
            "systempaths=unconfined",
            "--device-cgroup-rule",
            "a *:* rwm",
            WORKER_IMAGE,
            "--storage-driver=overlay2");
    Assumptions.assumeTrue(
        started.startsWith("ok"),
        "two-node swarm skipped: the worker engine cannot start here: " + started);
    String ready = "";
    for (int i = 0; i < 120 && !ready.startsWith("ok"); i++) {
      ready = run(Duration.ofSeconds(5), "docker", "exec", WORKER, "docker", "info");
      if (!ready.startsWith("ok")) {
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }
    Assumptions.assumeTrue(
        ready.startsWith("ok"),
        "two-node swarm skipped: the worker's dockerd did not start: " + ready);
    String loaded =
        run(
            Duration.ofMinutes(2),
            "sh",
            "-c",
            "docker save dockscale/sample-backend:latest | docker exec -i "
                + WORKER
                + " docker load");
    assertThat(loaded).as("the sample backend loaded into the worker").startsWith("ok");
    String token = docker.inspectSwarmCmd().exec().getJoinTokens().getWorker();
    assertThat(
            run(
                Duration.ofSeconds(30),
                "docker",
                "exec",
                WORKER,
                "docker",
                "swarm",
                "join",
                "--token",
                token,
                gateway + ":2377"))
        .startsWith("ok");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                docker.listSwarmNodesCmd().exec().stream()
                        .filter(n -> n.getStatus().getState() == SwarmNodeState.READY)
                        .count()
                    == 2);
  }

  @AfterAll
  static void leave() {
    try {
      docker.removeContainerCmd(WORKER).withForce(true).withRemoveVolumes(true).exec();
    } catch (RuntimeException gone) {
      // Never started.
    }
    if (swarm != null) {
      swarm.close();
    }
  }

  /** Runs a command; "ok" and its output, or "failed" and why. */
  private static String run(Duration timeout, String... command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return "failed: no answer in " + timeout.toSeconds() + " s";
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String tail = out.length() > 400 ? out.substring(out.length() - 400) : out;
    return (p.exitValue() == 0 ? "ok " : "failed (exit " + p.exitValue() + "): ") + tail;
  }

  @Test
  void tasksOnBothNodesAreRoutedThroughScaleOutAndBackWithoutAFailedRequest() {
    project =
        ItProject.createServices(
            "swarm2",
            """
              web:
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.1, memory: 256m }
                health: { path: /health }
                replicas: { min: 2, max: 4 }
                scale: { preset: classic, cpu: { up: 70, down: 20 } }
                drain: 2s
            """,
            "runtime: swarm\n");
    var controller = project.startLoop();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> project.settledAt("web", 2) && Http.ok(project.url("/")));
    try (OpenLoad steady =
        OpenLoad.to(project.url("/"))
            .rate(ArrivalRate.constant(20))
            .lasting(Duration.ofMinutes(3))
            .timeout(Duration.ofSeconds(10))
            .start()) {
      long start = System.nanoTime();
      controller.override("web", 4, Duration.ofMinutes(5), "SwarmTwoNodeIT");
      await().atMost(Duration.ofSeconds(90)).until(() -> project.settledAt("web", 4));
      System.out.printf(
          "[figure] swarm, two nodes: 2 -> 4 tasks ready behind nginx: %.1f s%n",
          (System.nanoTime() - start) / 1e9);
      Set<String> nodes =
          tasks(project.project + "-web").stream()
              .filter(t -> "running".equals(String.valueOf(t.getDesiredState()).toLowerCase()))
              .map(Task::getNodeId)
              .collect(Collectors.toSet());
      assertThat(nodes).as("nodes running the service's tasks").hasSize(2);
      try (LoadGenerator load =
          new LoadGenerator(project.url("/"), 2, () -> 2, Duration.ofSeconds(30), 4_000).start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> load.byServer().size() == 4);
        load.close();
        System.out.printf("[figure] swarm, two nodes: answered by %s%n", load.byServer());
        assertThat(load.failures()).isEmpty();
      }
      controller.override("web", 2, Duration.ofMinutes(5), "SwarmTwoNodeIT");
      await().atMost(Duration.ofSeconds(90)).until(() -> project.settledAt("web", 2));
      project.awaitTicks(3);
      steady.close();
      System.out.printf("[figure] swarm, two nodes: steady / throughout: %s%n", steady.result());
      assertThat(steady.result().failed() + steady.result().timeouts())
          .as("failed requests through 2 -> 4 -> 2 over two nodes: %s", steady.result())
          .isZero();
    }
    project.stopLoop();
    project.stack.down();
    assertThat(tasks(project.project + "-web")).isEmpty();
  }

  private List<Task> tasks(String service) {
    try {
      return docker.listTasksCmd().withServiceFilter(service).exec();
    } catch (RuntimeException gone) {
      return List.of();
    }
  }
}
