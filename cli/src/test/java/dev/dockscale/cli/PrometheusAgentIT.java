package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.dockscale.balancer.nginx.NginxBalancer;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.Images;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.prometheus.AgentServer;
import dev.dockscale.prometheus.AgentsMetricsSource;
import dev.dockscale.prometheus.ContainerExporter;
import dev.dockscale.prometheus.EngineContainers;
import dev.dockscale.prometheus.PromqlMetricsSource;
import dev.dockscale.runtime.docker.CgroupMetricsSource;
import dev.dockscale.runtime.docker.CgroupReader;
import dev.dockscale.runtime.docker.DockerStatsSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics through Prometheus: the agent serves this node's containers from the cgroup tree, a real
 * Prometheus (Debian's package) scrapes it on 127.0.0.1 every second, and the PromQL source reads
 * them back — agreeing with the cgroup reader that reads the same containers directly — and the
 * loop scales on them ({@code metrics.source: prometheus}); and the loop scales on the agent read
 * directly, with no server between ({@code metrics.source: agents}). The tests through Prometheus
 * are skipped, saying so, where it is not installed.
 */
class PrometheusAgentIT extends DockerIT {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final String IMAGE = "dockscale/nginx:latest";

  @TempDir Path dir;

  @Test
  void thePromqlSourceAgreesWithTheCgroupReaderOnABusyAndAnIdleContainer() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMETHEUS),
        "skipped: " + PROMETHEUS + " is not installed (Debian: apt-get install prometheus)");
    String project = "dsit-prom-" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, String> labels = Map.of("dockscale.project", project);
    DockerClient docker = Docker.connect();
    new Images(docker, line -> {}, List.of(NginxBalancer.IMAGE)).ensurePresent(IMAGE);
    String busy = null;
    String idle = null;
    Process prometheus = null;
    try (CgroupReader cgroups = CgroupReader.forRoot(Path.of("/sys/fs/cgroup")).orElseThrow();
        AgentServer agent =
            new AgentServer(
                new ContainerExporter(new EngineContainers(docker, Clock.systemUTC()), cgroups));
        MetricsSource direct =
            CgroupMetricsSource.forHost(
                Clock.systemUTC(), new DockerStatsSource(docker, Clock.systemUTC()))) {
      busy = start(docker, project + "-busy", labels, "while :; do :; done");
      idle = start(docker, project + "-idle", labels, "sleep 600");
      int port = Waits.freePort();
      int agentPort = agent.start("127.0.0.1", 0);
      prometheus = prometheus(agentPort, port);
      List<MeasuredReplica> replicas =
          List.of(
              new MeasuredReplica(busy, 0.25, 64L << 20),
              new MeasuredReplica(idle, 0.25, 64L << 20));
      try (PromqlMetricsSource promql =
              PromqlMetricsSource.forProject(
                  URI.create("http://127.0.0.1:" + port),
                  project,
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(10),
                  Clock.systemUTC());
          AgentsMetricsSource agents =
              AgentsMetricsSource.scraping(
                  List.of(URI.create("http://127.0.0.1:" + agentPort)),
                  Duration.ofSeconds(10),
                  Clock.systemUTC())) {
        // A rate needs two scrapes in its window; the busy loop needs a few seconds of history.
        String b = busy;
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  Map<String, ReplicaMetrics> read = promql.read(replicas);
                  return read.size() == 2
                      && read.get(b).readings().getOrDefault(Metric.CPU, 0.0) > 80;
                });
        direct.read(replicas);
        Thread.sleep(1_000);
        Map<String, ReplicaMetrics> fromCgroups = direct.read(replicas);
        Map<String, ReplicaMetrics> fromPrometheus = promql.read(replicas);
        Map<String, ReplicaMetrics> fromAgents = agents.read(replicas);
        for (String id : List.of(busy, idle)) {
          double cpuDirect = fromCgroups.get(id).readings().get(Metric.CPU);
          double cpuPromql = fromPrometheus.get(id).readings().get(Metric.CPU);
          double cpuAgent = fromAgents.get(id).readings().get(Metric.CPU);
          System.out.printf(
              "[figure] %s container: CPU %.1f %% from the agent directly (rate over 1 s)%n",
              id.equals(busy) ? "busy" : "idle", cpuAgent);
          assertThat(cpuAgent)
              .as("CPU of %s from the agent", id)
              .isCloseTo(cpuDirect, offset(10.0));
          double memDirect = fromCgroups.get(id).readings().get(Metric.MEMORY);
          double memPromql = fromPrometheus.get(id).readings().get(Metric.MEMORY);
          System.out.printf(
              "[figure] %s container: CPU %.1f %% (cgroup reader, 0.5 s+) vs %.1f %% (PromQL rate"
                  + " over 5 s); memory %.2f %% vs %.2f %%%n",
              id.equals(busy) ? "busy" : "idle", cpuDirect, cpuPromql, memDirect, memPromql);
          assertThat(cpuPromql).as("CPU of %s", id).isCloseTo(cpuDirect, offset(10.0));
          assertThat(memPromql).as("memory of %s", id).isCloseTo(memDirect, offset(2.0));
        }
        assertThat(promql.troubles()).isEmpty();
        assertThat(agents.troubles()).isEmpty();
      }
    } finally {
      stop(prometheus);
      for (String id : new String[] {busy, idle}) {
        if (id != null) {
          docker.removeContainerCmd(id).withForce(true).exec();
        }
      }
      docker.close();
    }
  }

  @Test
  void theLoopScalesOutOnCpuReadThroughPrometheus() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMETHEUS),
        "skipped: " + PROMETHEUS + " is not installed (Debian: apt-get install prometheus)");
    DockerClient docker = Docker.connect();
    Process prometheus = null;
    try (CgroupReader cgroups = CgroupReader.forRoot(Path.of("/sys/fs/cgroup")).orElseThrow();
        AgentServer agent =
            new AgentServer(
                new ContainerExporter(new EngineContainers(docker, Clock.systemUTC()), cgroups))) {
      int port = Waits.freePort();
      prometheus = prometheus(agent.start("127.0.0.1", 0), port);
      scalesOutOnCpu(
          "promql",
          "metrics:\n  source: prometheus\n  prometheus: http://127.0.0.1:"
              + port
              + "\n  window: 3s\n  stale-after: 10s\n",
          "through Prometheus (1 s scrapes, 3 s rate)");
      assertThat(project.status("web").problems()).noneMatch(p -> p.contains("Prometheus"));
    } finally {
      stop(prometheus);
      docker.close();
    }
  }

  @Test
  void theLoopScalesOutOnCpuReadFromTheAgentDirectly() throws Exception {
    DockerClient docker = Docker.connect();
    try (CgroupReader cgroups = CgroupReader.forRoot(Path.of("/sys/fs/cgroup")).orElseThrow();
        AgentServer agent =
            new AgentServer(
                new ContainerExporter(new EngineContainers(docker, Clock.systemUTC()), cgroups))) {
      int agentPort = agent.start("127.0.0.1", 0);
      scalesOutOnCpu(
          "agents",
          "metrics:\n  source: agents\n  agents: [\"http://127.0.0.1:"
              + agentPort
              + "\"]\n  stale-after: 5s\n",
          "from the agent directly (1 s scrapes)");
      assertThat(project.status("web").problems()).noneMatch(p -> p.contains("agent"));
    } finally {
      docker.close();
    }
  }

  /** A service of one replica under CPU load until a second serves, with these metrics. */
  private void scalesOutOnCpu(String kind, String metrics, String how) {
    project =
        ItProject.createServices(
            kind,
            "  web:\n" + ItProject.service(1, 2, "preset: classic\ncpu: { up: 70, down: 20 }\n"),
            metrics);
    project.startServing(1);
    long start = System.nanoTime();
    try (LoadGenerator load =
        new LoadGenerator(project.url("/cpu?ms=50"), 6, () -> 6, Duration.ofSeconds(90), 1_000_000)
            .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> project.active() >= 2 && load.byServer().size() >= 2);
      System.out.printf(
          "[figure] load start -> second replica serving, CPU %s: %.1f s%n",
          how, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Debian's Prometheus on 127.0.0.1:{@code port}, scraping the agent every second. */
  private Process prometheus(int agentPort, int port) throws java.io.IOException {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global: { scrape_interval: 1s }\n"
            + "scrape_configs:\n"
            + "  - job_name: agent\n"
            + "    static_configs: [{ targets: ['127.0.0.1:"
            + agentPort
            + "'] }]\n");
    return new ProcessBuilder(
            PROMETHEUS.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  private static void stop(Process prometheus) throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String start(
      DockerClient docker, String name, Map<String, String> labels, String script) {
    String id =
        docker
            .createContainerCmd(IMAGE)
            .withName(name)
            .withLabels(labels)
            .withEntrypoint("sh", "-c", script)
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNanoCPUs(250_000_000L)
                    .withMemory(64L << 20)
                    .withNetworkMode("none"))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }
}
