package dev.dockscale.prometheus;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names, images and labels of the node's containers from its Docker Engine: each container
 * inspected once, when the agent first finds its cgroup, and remembered while it runs. A container
 * the Engine does not describe (gone meanwhile, or the Engine not answering) is asked about again
 * after {@link #RETRY}, and left out of the scrapes until then.
 */
public final class EngineContainers implements ContainerExporter.Containers {

  private static final Logger LOG = LoggerFactory.getLogger(EngineContainers.class);

  static final Duration RETRY = Duration.ofSeconds(5);

  private final DockerClient docker;
  private final Clock clock;
  private final Map<String, ContainerExporter.Container> known = new HashMap<>();
  private final Map<String, Instant> unknownUntil = new HashMap<>();

  public EngineContainers(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  @Override
  public synchronized Optional<ContainerExporter.Container> describe(String id) {
    ContainerExporter.Container c = known.get(id);
    if (c != null) {
      return Optional.of(c);
    }
    Instant now = clock.instant();
    Instant until = unknownUntil.get(id);
    if (until != null && now.isBefore(until)) {
      return Optional.empty();
    }
    try {
      InspectContainerResponse i = docker.inspectContainerCmd(id).exec();
      Map<String, String> labels =
          i.getConfig() == null || i.getConfig().getLabels() == null
              ? Map.of()
              : i.getConfig().getLabels();
      c =
          new ContainerExporter.Container(
              id,
              i.getName() == null ? id : i.getName().replaceFirst("^/", ""),
              i.getConfig() == null || i.getConfig().getImage() == null
                  ? ""
                  : i.getConfig().getImage(),
              labels);
      known.put(id, c);
      unknownUntil.remove(id);
      return Optional.of(c);
    } catch (NotFoundException e) {
      unknownUntil.put(id, now.plus(RETRY));
    } catch (RuntimeException e) {
      unknownUntil.put(id, now.plus(RETRY));
      LOG.warn(
          "the Docker engine did not describe container {} ({}); asked again in {} s",
          id,
          e.toString(),
          RETRY.toSeconds());
    }
    return Optional.empty();
  }

  @Override
  public synchronized void retainOnly(Collection<String> ids) {
    Set<String> keep = new HashSet<>(ids);
    known.keySet().retainAll(keep);
    unknownUntil.keySet().retainAll(keep);
  }
}
