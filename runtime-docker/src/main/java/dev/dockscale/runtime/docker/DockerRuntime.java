package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.DockerEvents;
import dev.dockscale.docker.ImagePreparer;
import dev.dockscale.docker.Images;
import dev.dockscale.docker.ProjectNetworks;
import dev.dockscale.engine.ContainerRuntime;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ReplicaRuntime;
import dev.dockscale.engine.ReplicaSpec;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerRuntime} on one Docker Engine, through docker-java. */
public final class DockerRuntime implements ContainerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

  /** Containers removed at once by {@link #removeProject}. */
  private static final int REMOVERS = 8;

  /** Replicas started with a start-up boost not ended yet, by id. */
  private final Set<String> boosted = ConcurrentHashMap.newKeySet();

  /** Replicas whose boost label was seen, so that a boost is ended once per run. */
  private final Set<String> boostSeen = ConcurrentHashMap.newKeySet();

  private final DockerClient docker;
  private final ImagePreparer preparer;
  private final InspectCache inspected;
  private final Listings listings;
  private final Clock clock;

  /** Networks found or made, and when: looked up again {@link Docker#TRUSTED} later. */
  private final Map<String, Instant> networksChecked = new ConcurrentHashMap<>();

  public DockerRuntime(DockerClient docker, Images images, Clock clock) {
    this.docker = docker;
    this.clock = clock;
    this.preparer = new ImagePreparer(images, clock);
    this.inspected = new InspectCache(docker, clock);
    this.listings = new Listings(clock);
  }

  @Override
  public void ensureNetwork(String project, String network) {
    Instant checked = networksChecked.get(network);
    Instant now = clock.instant();
    if (checked != null && Duration.between(checked, now).compareTo(Docker.TRUSTED) < 0) {
      return;
    }
    checkNetwork(project, network);
    networksChecked.put(network, now);
  }

  private void checkNetwork(String project, String network) {
    Optional<Network> existing = ProjectNetworks.find(docker, network);
    if (existing.isPresent()) {
      ProjectNetworks.requireOwned(existing.get(), project);
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

  @Override
  public List<Replica> replicas(String project, String network) {
    Map<String, String> filter = new HashMap<>(Labels.project(project));
    filter.put(Labels.ROLE, Labels.ROLE_REPLICA);
    boolean watched = listings.watched(project);
    List<Container> containers =
        listings.get(
            project,
            () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec());
    List<Replica> replicas = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Container c : containers) {
      present.add(c.getId());
      if (c.getLabels() != null
          && c.getLabels().containsKey(Labels.STARTUP_CPUS)
          && boostSeen.add(c.getId())) {
        // Started boosted, maybe by an earlier run: its boost is ended (again) once it is ready.
        boosted.add(c.getId());
      }
      try {
        replicas.add(inspected.get(c, network, watched));
      } catch (NotFoundException gone) {
        // Removed between list and inspect: it is simply not there any more.
      }
    }
    inspected.retain(present);
    boosted.retainAll(present);
    boostSeen.retainAll(present);
    return replicas;
  }

  @Override
  public ImageState prepareImage(String image) {
    return preparer.prepare(image);
  }

  @Override
  public Replica start(ReplicaSpec spec) {
    return changing(() -> startReplica(spec));
  }

  private Replica startReplica(ReplicaSpec spec) {
    String name = spec.warm() ? spec.name() + ReplicaMapper.WARM_SUFFIX : spec.name();
    Map<String, String> labels = new HashMap<>(Labels.project(spec.project()));
    labels.put(Labels.SERVICE, spec.service());
    labels.put(Labels.ROLE, Labels.ROLE_REPLICA);
    labels.put(Labels.INDEX, Integer.toString(spec.index()));
    labels.put(Labels.TEMPLATE, spec.template());
    if (!spec.replaces().isEmpty()) {
      labels.put(Labels.REPLACES, spec.replaces());
    }
    if (spec.boosted()) {
      labels.put(
          Labels.STARTUP_CPUS,
          BigDecimal.valueOf(spec.startupCpus()).stripTrailingZeros().toPlainString());
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(spec.network())
            .withNanoCPUs(nanoCpus(spec.startupCpus()))
            .withMemory(spec.memoryBytes())
            .withMemorySwap(spec.memoryBytes())
            .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
    if (!spec.cpuset().isEmpty()) {
      host.withCpusetCpus(spec.cpuset());
    }
    String id;
    long asked = System.nanoTime();
    try {
      id = create(spec, name, labels, host);
    } catch (NotFoundException e) {
      if (String.valueOf(e.getMessage()).contains("network")) {
        // Removed by someone else since it was last checked: made again before the next start.
        networksChecked.remove(spec.network());
        throw new RuntimeUnavailableException(
            "network " + spec.network() + " is gone; it is created again", e);
      }
      // The image went away (pruned, removed by hand): fetched again before the next start.
      preparer.forget(spec.image());
      throw new RuntimeUnavailableException(
          "image " + spec.image() + " is no longer on this machine; it is pulled or built again",
          e);
    } catch (ConflictException e) {
      // A leftover of ours by that name (exited, or created and never started) goes first.
      removeLeftover(spec.project(), name, e);
      id = create(spec, name, labels, host);
    }
    inspected.starting(id);
    long created = System.nanoTime();
    try {
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      inspected.forget(id);
      // Never leave a created-but-not-started container behind.
      try {
        docker.removeContainerCmd(id).withForce(true).exec();
      } catch (RuntimeException ignored) {
        // Gone already.
      }
      throw new RuntimeUnavailableException(
          "the engine refused to start " + name + ": " + String.valueOf(e.getMessage()).trim(), e);
    }
    long startReturned = System.nanoTime();
    Replica started;
    try {
      started = ReplicaMapper.replica(docker.inspectContainerCmd(id).exec(), spec.network());
      LOG.debug(
          "{}: created in {} ms, started in {} ms, inspected in {} ms",
          name,
          (created - asked) / 1_000_000,
          (startReturned - created) / 1_000_000,
          (System.nanoTime() - startReturned) / 1_000_000);
    } catch (RuntimeException e) {
      inspected.forget(id);
      throw e;
    }
    inspected.started(started);
    if (spec.boosted()) {
      boostSeen.add(id);
      boosted.add(id);
    }
    return started;
  }

  private static long nanoCpus(double cpus) {
    return Math.round(cpus * 1e9);
  }

  @Override
  public void endStartupBoost(Replica replica, double cpus) {
    if (!boosted.remove(replica.id())) {
      return;
    }
    try {
      docker.updateContainerCmd(replica.id()).withNanoCPUs(nanoCpus(cpus)).exec();
    } catch (NotFoundException gone) {
      return;
    } catch (RuntimeException e) {
      boosted.add(replica.id());
      throw e;
    }
    LOG.debug("{}: start-up boost over, {} CPUs", replica.name(), cpus);
  }

  private String create(
      ReplicaSpec spec, String name, Map<String, String> labels, HostConfig host) {
    return docker
        .createContainerCmd(spec.image())
        .withName(name)
        .withHostName(name)
        .withLabels(labels)
        .withEnv(spec.envList())
        .withHostConfig(host)
        .exec()
        .getId();
  }

  private void removeLeftover(String project, String name, ConflictException cause) {
    InspectContainerResponse c;
    try {
      c = docker.inspectContainerCmd(name).exec();
    } catch (NotFoundException gone) {
      return;
    }
    if (!Labels.owned(c.getConfig().getLabels(), project)
        || Boolean.TRUE.equals(c.getState().getRunning())) {
      throw new RuntimeUnavailableException(
          "a container named "
              + name
              + " already exists and is not a replica dockscale may replace; remove it (docker rm -f "
              + name
              + ")",
          cause);
    }
    docker.removeContainerCmd(c.getId()).withForce(true).exec();
  }

  @Override
  public AutoCloseable watch(String project, Consumer<RuntimeEvent> onEvent) {
    DockerEvents events =
        new DockerEvents(
            docker,
            project,
            e -> {
              if (ReplicaRuntime.RECONNECTED.equals(e.action())) {
                inspected.forgetAll();
                networksChecked.clear();
              }
              inspected.told(e.replicaId(), e.action());
              listings.changed(project);
              onEvent.accept(e);
            },
            connected -> listings.watched(project, connected));
    events.start();
    return events;
  }

  @Override
  public void pause(Replica replica) {
    changing(() -> pauseReplica(replica));
  }

  private void pauseReplica(Replica replica) {
    try {
      docker.pauseContainerCmd(replica.id()).exec();
    } catch (ConflictException alreadyPaused) {
      // Paused meanwhile (or not running any more: the next pass sees which).
    }
  }

  @Override
  public Replica promote(Replica replica) {
    return changing(() -> promoteReplica(replica));
  }

  private Replica promoteReplica(Replica replica) {
    if (replica.state() == Replica.State.PAUSED) {
      try {
        docker.unpauseContainerCmd(replica.id()).exec();
      } catch (ConflictException notPaused) {
        // Unpaused meanwhile.
      }
    }
    String name = replica.name();
    if (name.endsWith(ReplicaMapper.WARM_SUFFIX)) {
      name = name.substring(0, name.length() - ReplicaMapper.WARM_SUFFIX.length());
      docker.renameContainerCmd(replica.id()).withName(name).exec();
    }
    inspected.forget(replica.id());
    return new Replica(
        replica.id(),
        name,
        replica.service(),
        replica.index(),
        Replica.State.RUNNING,
        Replica.Readiness.UNKNOWN,
        replica.address(),
        replica.createdAt(),
        replica.startedAt(),
        false,
        false,
        replica.template(),
        replica.replaces(),
        replica.protect(),
        replica.restarts(),
        replica.exit());
  }

  @Override
  public void markDraining(Replica replica) {
    changing(() -> rename(replica));
  }

  private void rename(Replica replica) {
    if (replica.draining()) {
      return;
    }
    try {
      docker
          .renameContainerCmd(replica.id())
          .withName(replica.name() + ReplicaMapper.DRAINING_SUFFIX)
          .exec();
    } catch (NotFoundException gone) {
      // Already gone: nothing to drain.
    }
  }

  @Override
  public void stopAndRemove(Replica replica, Duration timeout) {
    changing(() -> stopAndRemoveReplica(replica, timeout));
  }

  private void stopAndRemoveReplica(Replica replica, Duration timeout) {
    if (replica.state() == Replica.State.RUNNING && !timeout.isZero()) {
      try {
        docker
            .stopContainerCmd(replica.id())
            .withTimeout((int) Math.max(1, timeout.toSeconds()))
            .exec();
      } catch (NotModifiedException alreadyStopped) {
        // Stopped already; remove below.
      } catch (NotFoundException gone) {
        return;
      } catch (RuntimeException e) {
        // A frozen or wedged container cannot take SIGTERM: the forced removal below kills it.
        LOG.debug("stop of {} failed ({}); removing it by force", replica.name(), e.toString());
      }
    }
    try {
      docker.removeContainerCmd(replica.id()).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Removed meanwhile.
    }
  }

  @Override
  public List<String> removeProject(String project, String network) {
    return changing(() -> removeAll(project, network));
  }

  private List<String> removeAll(String project, String network) {
    networksChecked.remove(network);
    List<String> removed = new ArrayList<>();
    List<Container> containers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Labels.project(project))
            .exec();
    // Several at a time (the Engine does much of a removal in parallel), never hundreds at once.
    ExecutorService removers = Executors.newFixedThreadPool(REMOVERS);
    RuntimeException failed = null;
    try {
      List<Future<?>> removals = new ArrayList<>();
      for (Container c : containers) {
        removals.add(removers.submit(() -> stopAndRemove(c)));
      }
      // Every removal is waited for: one that fails leaves the others to finish.
      for (Future<?> removal : removals) {
        try {
          removal.get();
        } catch (ExecutionException e) {
          RuntimeException cause =
              e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
          if (failed == null) {
            failed = cause;
          } else {
            failed.addSuppressed(cause);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while removing project " + project, e);
    } finally {
      removers.shutdown();
    }
    if (failed != null) {
      throw failed;
    }
    containers.forEach(c -> removed.add("container " + c.getNames()[0].replaceFirst("^/", "")));
    if (ProjectNetworks.removeOwned(docker, project, network)) {
      removed.add("network " + network);
    }
    return removed;
  }

  private void stopAndRemove(Container c) {
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
  }

  /** Runs a change of containers; whatever it did, the next look lists them again. */
  private <T> T changing(Supplier<T> change) {
    try {
      return change.get();
    } finally {
      listings.changedAll();
    }
  }

  private void changing(Runnable change) {
    changing(
        () -> {
          change.run();
          return null;
        });
  }

  @Override
  public void close() {
    preparer.close();
  }
}
