package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.config.DockscaleConfig.Address;
import dev.dockscale.docker.Docker;
import dev.dockscale.prometheus.AgentServer;
import dev.dockscale.prometheus.ContainerExporter;
import dev.dockscale.prometheus.EngineContainers;
import dev.dockscale.runtime.docker.CgroupReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dockscale agent}: serves this node's containers' CPU and memory, read from its cgroup
 * tree, in Prometheus' text format under cAdvisor's names, for a Prometheus server (or dockscale)
 * to scrape. Run it on every node of a swarm (a global service), or use cAdvisor instead.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Serve this node's container CPU and memory (cAdvisor's metric names) for Prometheus.")
final class AgentCommand implements Callable<Integer> {

  static final int DEFAULT_PORT = 9338;

  @Mixin LogFormatOption logFormat;
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:" + DEFAULT_PORT,
      description =
          "host:port to serve /metrics on, or a port alone for 127.0.0.1 (default: ${DEFAULT-VALUE})")
  String listen;

  @Option(
      names = "--label-prefix",
      split = ",",
      description =
          "export only the Docker labels starting with one of these (repeat or separate with"
              + " commas; default: every label, as cAdvisor), e.g. dockscale.,com.docker.swarm.")
  List<String> labelPrefixes = new ArrayList<>();

  @Option(
      names = "--cgroup-root",
      defaultValue = "/sys/fs/cgroup",
      description = "where the node's cgroup tree is mounted (default: ${DEFAULT-VALUE})")
  Path cgroupRoot;

  /** Connections of the agent's Engine client: a scrape asks at most a few things at once. */
  private static final int CONNECTIONS = 4;

  /** How long the Engine has to describe a new container before the scrape goes on without it. */
  private static final Duration ENGINE_ANSWER = Duration.ofSeconds(5);

  @Override
  public Integer call() throws InterruptedException {
    logFormat.apply();
    Address address = listenAddress();
    CgroupReader cgroups =
        CgroupReader.forRoot(cgroupRoot)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "--cgroup-root "
                            + cgroupRoot
                            + ": no readable cgroup tree there (in a container, mount the host's"
                            + " /sys/fs/cgroup read-only)"));
    // A scrape must not hang on a hung daemon: describing a new container gives up after a few
    // seconds (it is left out, and asked about again later); the others are served as before.
    DockerClient docker = Docker.connect(CONNECTIONS, ENGINE_ANSWER);
    Docker.requireReachable(docker);
    ContainerExporter exporter =
        new ContainerExporter(
            new EngineContainers(docker, Clock.systemUTC()), cgroups, labelPrefixes);
    AgentServer server = new AgentServer(exporter);
    int port;
    try {
      port = server.start(address.host(), address.port());
    } catch (RuntimeException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--listen "
              + address
              + ": cannot listen there ("
              + e.getMessage()
              + "); choose a free port");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, exporter, docker, stopped)));
    if (!address.loopback()) {
      spec.commandLine()
          .getErr()
          .printf(
              "dockscale agent: %s is NOT loopback: every container's name, image and %s Docker"
                  + " labels are readable by anyone who reaches it%n",
              address, labelPrefixes.isEmpty() ? "every" : "the chosen");
    }
    spec.commandLine()
        .getErr()
        .printf(
            "dockscale agent: serving the containers of this node (cgroup %s tree at %s) on"
                + " http://%s:%d/metrics; Ctrl-C stops it%n",
            cgroups.version(), cgroupRoot, address.host(), port);
    stopped.await();
    return 0;
  }

  /** {@code --listen}: host:port, or a port alone for 127.0.0.1. */
  private Address listenAddress() {
    try {
      return Address.parse(listen.matches("[0-9]+") ? "127.0.0.1:" + listen : listen, DEFAULT_PORT);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
    }
  }

  private static void stop(
      AgentServer server, ContainerExporter exporter, DockerClient docker, CountDownLatch stopped) {
    server.close();
    exporter.close();
    try {
      docker.close();
    } catch (IOException ignored) {
      // Exiting: nothing to keep.
    }
    stopped.countDown();
  }
}
