package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.engine.ContainerRuntime;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerRuntime} on one Docker Engine, through docker-java. */
public final class DockerRuntime implements ContainerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
  static final String DRAINING_SUFFIX = "-draining";

  private final DockerClient docker;
  private final Images images;

  public DockerRuntime(DockerClient docker, Images images) {
    this.docker = docker;
    this.images = images;
  }

  public static String replicaName(String project, String service, int index) {
    return project + "-" + service + "-" + index;
  }

  @Override
  public void ensureNetwork(String project, String network) {
    Optional<Network> existing = findNetwork(network);
    if (existing.isPresent()) {
      Map<String, String> labels = existing.get().getLabels();
      if (labels == null
          || !"true".equals(labels.get(Labels.MANAGED))
          || !project.equals(labels.get(Labels.PROJECT))) {
        throw new RuntimeUnavailableException(
            "network "
                + network
                + " exists but is not dockscale's for project "
                + project
                + "; remove it or choose another project name (project: in dockscale.yml)");
      }
      return;
    }
    docker
        .createNetworkCmd()
        .withName(network)
        .withDriver("bridge")
        .withLabels(Labels.project(project))
        .exec();
    LOG.info("created network {}", network);
  }

  private Optional<Network> findNetwork(String network) {
    return docker.listNetworksCmd().withNameFilter(network).exec().stream()
        .filter(n -> network.equals(n.getName()))
        .findFirst();
  }

  @Override
  public List<Replica> replicas(String project, String service) {
    Map<String, String> filter = new HashMap<>(Labels.project(project));
    filter.put(Labels.SERVICE, service);
    filter.put(Labels.ROLE, Labels.ROLE_REPLICA);
    List<Replica> replicas = new ArrayList<>();
    for (Container c :
        docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
      try {
        replicas.add(replica(docker.inspectContainerCmd(c.getId()).exec(), project + "-net"));
      } catch (NotFoundException gone) {
        // Removed between list and inspect: it is simply not there any more.
      }
    }
    return replicas;
  }

  static Replica replica(InspectContainerResponse c, String network) {
    String name = c.getName().startsWith("/") ? c.getName().substring(1) : c.getName();
    int index = parseIndex(c.getConfig().getLabels().get(Labels.INDEX));
    var state = c.getState();
    Replica.State s;
    if (Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting())) {
      HealthState health = state.getHealth();
      String status = health == null ? "healthy" : health.getStatus();
      s =
          switch (status) {
            case "healthy" -> Replica.State.READY;
            case "unhealthy" -> Replica.State.UNHEALTHY;
            default -> Replica.State.STARTING;
          };
    } else if ("created".equals(state.getStatus()) || Boolean.TRUE.equals(state.getRestarting())) {
      s = Replica.State.STARTING;
    } else {
      s = Replica.State.GONE;
    }
    String address = "";
    var networks = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
    if (networks != null) {
      ContainerNetwork n = networks.get(network);
      if (n != null && n.getIpAddress() != null) {
        address = n.getIpAddress();
      }
    }
    Instant startedAt =
        parseTime(state.getStartedAt()).orElse(parseTime(c.getCreated()).orElse(Instant.EPOCH));
    return new Replica(
        c.getId(), name, index, s, address, startedAt, name.endsWith(DRAINING_SUFFIX));
  }

  private static int parseIndex(String label) {
    try {
      return label == null ? 0 : Integer.parseInt(label);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Instant> parseTime(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public Replica start(String project, String network, ServiceSpec spec, int index) {
    String name = replicaName(project, spec.name(), index);
    Map<String, String> labels = new HashMap<>(Labels.project(project));
    labels.put(Labels.SERVICE, spec.name());
    labels.put(Labels.ROLE, Labels.ROLE_REPLICA);
    labels.put(Labels.INDEX, Integer.toString(index));
    List<String> env =
        spec.envFor(name, index).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList();

    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(network)
            .withNanoCPUs(Math.round(spec.resources().cpus() * 1e9))
            .withMemory(spec.resources().memoryBytes())
            .withMemorySwap(spec.resources().memoryBytes())
            .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
    if (!spec.resources().cpuset().isEmpty()) {
      host.withCpusetCpus(spec.resources().cpuset());
    }
    images.ensurePresent(spec.image());
    String id;
    try {
      id =
          docker
              .createContainerCmd(spec.image())
              .withName(name)
              .withHostName(name)
              .withLabels(labels)
              .withEnv(env)
              .withHealthcheck(healthCheck(spec))
              .withHostConfig(host)
              .exec()
              .getId();
    } catch (ConflictException e) {
      throw new RuntimeUnavailableException(
          "a container named "
              + name
              + " already exists and is not a replica dockscale sees; remove it (docker rm -f "
              + name
              + ")",
          e);
    }
    docker.startContainerCmd(id).exec();
    return replica(docker.inspectContainerCmd(id).exec(), network);
  }

  /** Readiness from inside the replica: GET health.path on the container port, by curl or wget. */
  static HealthCheck healthCheck(ServiceSpec spec) {
    var h = spec.health();
    String url = "http://127.0.0.1:" + spec.port() + h.path();
    long timeoutSeconds = Math.max(1, h.timeout().toSeconds());
    String probe =
        "curl -fsS -o /dev/null --max-time "
            + timeoutSeconds
            + " "
            + url
            + " || wget -q -O /dev/null -T "
            + timeoutSeconds
            + " "
            + url;
    return new HealthCheck()
        .withTest(List.of("CMD-SHELL", probe))
        .withInterval(TimeUnit.MILLISECONDS.toNanos(h.interval().toMillis()))
        .withTimeout(TimeUnit.MILLISECONDS.toNanos(h.timeout().toMillis()))
        .withRetries(h.retries())
        .withStartPeriod(TimeUnit.MILLISECONDS.toNanos(h.startPeriod().toMillis()));
  }

  @Override
  public void markDraining(Replica replica) {
    if (replica.draining()) {
      return;
    }
    try {
      docker.renameContainerCmd(replica.id()).withName(replica.name() + DRAINING_SUFFIX).exec();
    } catch (NotFoundException gone) {
      // Already gone: nothing to drain.
    }
  }

  @Override
  public void stopAndRemove(Replica replica, Duration timeout) {
    try {
      docker
          .stopContainerCmd(replica.id())
          .withTimeout((int) Math.max(1, timeout.toSeconds()))
          .exec();
    } catch (NotModifiedException alreadyStopped) {
      // Stopped already; remove below.
    } catch (NotFoundException gone) {
      return;
    }
    try {
      docker.removeContainerCmd(replica.id()).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Removed meanwhile.
    }
  }

  @Override
  public List<String> removeProject(String project, String network) {
    List<String> removed = new ArrayList<>();
    List<Container> containers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Labels.project(project))
            .exec();
    containers.parallelStream()
        .forEach(
            c -> {
              try {
                if ("running".equals(c.getState())) {
                  docker.stopContainerCmd(c.getId()).withTimeout(5).exec();
                }
              } catch (NotFoundException | NotModifiedException ignored) {
                // Already stopped or gone.
              }
              try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
              } catch (NotFoundException ignored) {
                // Gone meanwhile.
              }
            });
    containers.forEach(c -> removed.add("container " + c.getNames()[0].replaceFirst("^/", "")));
    Optional<Network> net = findNetwork(network);
    if (net.isPresent()) {
      Map<String, String> labels = net.get().getLabels();
      if (labels != null
          && "true".equals(labels.get(Labels.MANAGED))
          && project.equals(labels.get(Labels.PROJECT))) {
        try {
          docker.removeNetworkCmd(net.get().getId()).exec();
          removed.add("network " + network);
        } catch (RuntimeException e) {
          throw new RuntimeUnavailableException(
              "network "
                  + network
                  + " was kept: containers that are not dockscale's are still attached to it ("
                  + e.getMessage().trim()
                  + "); disconnect them, then run down again",
              e);
        }
      }
    }
    return removed;
  }
}
