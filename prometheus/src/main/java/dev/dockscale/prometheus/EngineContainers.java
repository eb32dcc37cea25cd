package dev.dockscale.prometheus;

import com.github.dockerjava.api.DockerClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's running containers from its Docker Engine, listed at most every {@link #LIST_EVERY} (a
 * list costs dockerd a few ms per hundred containers; scrapes come every few seconds). Between
 * lists, a container started since is not served yet and one removed reads as unreadable and is
 * left out. When the engine does not answer, the last list stands.
 */
public final class EngineContainers implements ContainerExporter.Containers {

  private static final Logger LOG = LoggerFactory.getLogger(EngineContainers.class);

  static final Duration LIST_EVERY = Duration.ofSeconds(5);

  private final DockerClient docker;
  private final Clock clock;
  private List<ContainerExporter.Container> last = List.of();
  private Instant listedAt;

  public EngineContainers(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  @Override
  public synchronized List<ContainerExporter.Container> running() {
    Instant now = clock.instant();
    if (listedAt != null && Duration.between(listedAt, now).compareTo(LIST_EVERY) < 0) {
      return last;
    }
    try {
      last =
          docker.listContainersCmd().exec().stream()
              .map(
                  c ->
                      new ContainerExporter.Container(
                          c.getId(),
                          c.getNames() == null || c.getNames().length == 0
                              ? c.getId()
                              : c.getNames()[0].replaceFirst("^/", ""),
                          c.getImage() == null ? "" : c.getImage(),
                          c.getLabels() == null ? Map.of() : c.getLabels()))
              .toList();
      listedAt = now;
    } catch (RuntimeException e) {
      LOG.warn(
          "the Docker engine did not list its containers ({}); the last list stands", e.toString());
    }
    return last;
  }
}
