package dev.dockscale.runtime.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.SwarmInfo;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.DockerEvents;
import dev.dockscale.docker.ImagePreparer;
import dev.dockscale.docker.Images;
import dev.dockscale.docker.ProjectNetworks;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ReplicaRuntime;
import dev.dockscale.engine.RuntimeUnavailableException;
import dev.dockscale.engine.ServiceScheduler;
import dev.dockscale.engine.ServiceTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServiceScheduler} on Docker Swarm. A service is the Swarm service carrying the labels
 * {@code dockscale.project} and {@code dockscale.service}: one dockscale created from the config
 * (also labelled {@code dockscale.managed=true}), or one the user made and labelled, of which only
 * the replica count is ever changed. Each change is made from the spec version just read; when
 * someone changed the service meanwhile, the Engine refuses it and it is made again from a fresh
 * read. Tasks are the replicas, reached on the project's attachable overlay network.
 */
public final class SwarmRuntime implements ServiceScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(SwarmRuntime.class);

  /**
   * A failed task this recent is reported (as an exited replica with Swarm's error); older is
   * history.
   */
  static final Duration RECENT_FAILURE = Duration.ofMinutes(1);

  /** Tries of one change against changes made by others meanwhile. */
  static final int TRIES = 5;

  /** How long {@code down} waits for the tasks of removed services to go. */
  static final Duration TASKS_GONE = Duration.ofSeconds(60);

  /**
   * What a task container does that changes what the engine should do: Swarm's SIGTERM to a task it
   * stops ({@code kill}) is when the balancer must stop routing to it.
   */
  static final List<String> ACTIONS =
      Stream.concat(DockerEvents.ACTIONS.stream(), Stream.of("kill")).toList();

  private final DockerClient docker;
  private final SwarmApi api;
  private final ImagePreparer images;
  private final Clock clock;
  private final Map<String, Instant> networksChecked = new ConcurrentHashMap<>();

  public SwarmRuntime(DockerClient docker, Images images, Clock clock) {
    this.docker = docker;
    this.api = new SwarmApi(docker);
    this.images = new ImagePreparer(images, clock);
    this.clock = clock;
  }

  @Override
  public void ensureNetwork(String project, String network) {
    Instant checked = networksChecked.get(network);
    Instant now = clock.instant();
    if (checked != null && Duration.between(checked, now).compareTo(Docker.TRUSTED) < 0) {
      return;
    }
    requireManager();
    Optional<Network> existing = ProjectNetworks.find(docker, network);
    if (existing.isPresent()) {
      Network n = existing.get();
      ProjectNetworks.requireOwned(n, project);
      if (!"overlay".equals(n.getDriver())) {
        throw new RuntimeUnavailableException(
            "network "
                + network
                + " is a "
                + n.getDriver()
                + " network, left by a run with 'runtime: docker'; run 'dockscale down' with that config first");
      }
    } else {
      docker
          .createNetworkCmd()
          .withName(network)
          .withDriver("overlay")
          .withAttachable(true)
          .withLabels(Labels.project(project))
          .exec();
      LOG.info("created overlay network {}", network);
    }
    networksChecked.put(network, now);
  }

  private void requireManager() {
    SwarmInfo swarm = docker.infoCmd().exec().getSwarm();
    if (swarm == null
        || swarm.getLocalNodeState() != LocalNodeState.ACTIVE
        || !Boolean.TRUE.equals(swarm.getControlAvailable())) {
      throw new RuntimeUnavailableException(
          "this Docker engine is not a Swarm manager (its state: "
              + (swarm == null ? "unknown" : swarm.getLocalNodeState())
              + "): run 'docker swarm init' (or run dockscale on a manager node), or set 'runtime: docker'");
    }
  }

  /** The project's services, created or found by label, by their Swarm id. */
  private Map<String, FoundService> services(String project) {
    Map<String, FoundService> found = new HashMap<>();
    for (JsonNode s : api.services(Map.of(Labels.PROJECT, project))) {
      FoundService f = FoundService.of(s);
      if (!f.service().isEmpty()) {
        found.put(f.id(), f);
      }
    }
    return found;
  }

  @Override
  public List<Replica> replicas(String project, String network) {
    Map<String, FoundService> services = services(project);
    if (services.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<Replica> replicas = new ArrayList<>();
    for (JsonNode task : api.tasks(List.copyOf(services.keySet()))) {
      FoundService service = services.get(task.path("ServiceID").asText());
      if (service != null) {
        TaskMapper.replica(task, service, network, now, RECENT_FAILURE).ifPresent(replicas::add);
      }
    }
    return replicas;
  }

  @Override
  public Optional<Scheduled> scheduled(String project, String service) {
    return find(project, service).map(f -> new Scheduled(f.replicas(), f.template()));
  }

  private Optional<FoundService> find(String project, String service) {
    List<FoundService> found =
        services(project).values().stream().filter(f -> f.service().equals(service)).toList();
    if (found.size() > 1) {
      throw new RuntimeUnavailableException(
          found.size()
              + " Swarm services carry the labels "
              + Labels.PROJECT
              + "="
              + project
              + " and "
              + Labels.SERVICE
              + "="
              + service
              + " ("
              + String.join(", ", found.stream().map(FoundService::name).toList())
              + "); remove the labels from all but one");
    }
    return found.stream().findFirst();
  }

  @Override
  public ImageState prepareImage(String image) {
    return images.prepare(image);
  }

  @Override
  public void scale(ServiceTemplate template, int replicas) {
    update(
        template.project(),
        template.service(),
        found -> {
          if (found == null) {
            return ServiceSpecs.of(api.json(), template, replicas);
          }
          if (!found.replicated()) {
            throw new RuntimeUnavailableException(
                "Swarm service "
                    + found.name()
                    + " is not replicated (global: one task per node, or a job): only a replicated service can be scaled; remove its dockscale labels or recreate it with --mode replicated");
          }
          if (found.created() && !found.template().equals(template.template())) {
            return ServiceSpecs.of(api.json(), template, replicas);
          }
          return found.withReplicas(replicas);
        });
  }

  /**
   * Changes the service to the spec {@code change} makes of it (of null: the spec it is created
   * from), from the version just read; tries again from a fresh read when someone changed it
   * meanwhile, up to {@link #TRIES} times.
   */
  void update(String project, String service, Function<FoundService, ObjectNode> change) {
    String lastConflict = "";
    for (int i = 1; i <= TRIES; i++) {
      Optional<FoundService> found = find(project, service);
      try {
        if (found.isEmpty()) {
          api.create(change.apply(null));
          LOG.info("{}: created its Swarm service", service);
        } else {
          api.update(found.get().id(), found.get().version(), change.apply(found.get()));
        }
        return;
      } catch (SwarmApi.OutOfSequenceException e) {
        lastConflict = e.getMessage();
        LOG.info(
            "{}: the Swarm service changed meanwhile (try {} of {}): reading it again",
            service,
            i,
            TRIES);
      }
    }
    throw new RuntimeUnavailableException(
        "the Swarm service of "
            + service
            + " was changed by someone else "
            + TRIES
            + " times in a row while dockscale scaled it ("
            + lastConflict
            + "); tried again next pass");
  }

  @Override
  public void retire(String project, String service) {
    Optional<FoundService> found = find(project, service);
    if (found.isEmpty()) {
      return;
    }
    if (!found.get().created()) {
      LOG.info(
          "{}: Swarm service {} was found by its labels, not created by dockscale: left as it is",
          service,
          found.get().name());
      return;
    }
    removeService(found.get());
  }

  private void removeService(FoundService s) {
    try {
      api.remove(s.id());
      LOG.info("removed Swarm service {}", s.name());
    } catch (SwarmApi.NotFound gone) {
      // Removed meanwhile.
    }
  }

  @Override
  public AutoCloseable watch(String project, Consumer<RuntimeEvent> onEvent) {
    DockerEvents events =
        new DockerEvents(
            docker,
            project,
            ACTIONS,
            e -> {
              if (ReplicaRuntime.RECONNECTED.equals(e.action())) {
                networksChecked.clear();
              }
              onEvent.accept(e);
            },
            connected -> {});
    events.start();
    return events;
  }

  @Override
  public List<String> removeProject(String project, String network) {
    networksChecked.remove(network);
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (FoundService s : services(project).values()) {
      if (s.created()) {
        removeService(s);
        removed.add("service " + s.name());
      } else {
        kept.add(s.name());
      }
    }
    awaitTasksGone(project);
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Labels.project(project))
            .exec()) {
      if (ServiceSpecs.ROLE_TASK.equals(c.getLabels().get(Labels.ROLE))) {
        continue;
      }
      try {
        if ("running".equals(c.getState())) {
          docker.stopContainerCmd(c.getId()).withTimeout(5).exec();
        }
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
        removed.add("container " + c.getNames()[0].replaceFirst("^/", ""));
      } catch (NotFoundException | NotModifiedException gone) {
        // Stopped or removed meanwhile.
      }
    }
    if (!kept.isEmpty()) {
      LOG.info(
          "kept network {}: Swarm service(s) {} found by their labels (not created by dockscale) still use it",
          network,
          String.join(", ", kept));
    } else if (ProjectNetworks.removeOwned(docker, project, network)) {
      removed.add("network " + network);
    }
    return removed;
  }

  /** Waits (bounded) until this node has no task container of the project left. */
  private void awaitTasksGone(String project) {
    Map<String, String> filter = new HashMap<>(Labels.project(project));
    filter.put(Labels.ROLE, ServiceSpecs.ROLE_TASK);
    long deadline = System.nanoTime() + TASKS_GONE.toNanos();
    while (!docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new RuntimeUnavailableException(
            "the tasks of the removed services are still there after "
                + TASKS_GONE.toSeconds()
                + " s; run down again when they are gone (docker ps --filter label="
                + Labels.PROJECT
                + "="
                + project
                + ")");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeUnavailableException("interrupted while waiting for tasks to go", e);
      }
    }
  }

  @Override
  public void close() {
    images.close();
  }
}
