package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.util.Optional;

/** A project's network, as both runtimes find, check and remove it. */
public final class ProjectNetworks {

  private ProjectNetworks() {}

  /** The network of this exact name (the Engine's filter matches parts of names). */
  public static Optional<Network> find(DockerClient docker, String name) {
    return docker.listNetworksCmd().withNameFilter(name).exec().stream()
        .filter(n -> name.equals(n.getName()))
        .findFirst();
  }

  /** Throws, with the fix, when {@code network} is not dockscale's for {@code project}. */
  public static void requireOwned(Network network, String project) {
    if (!Labels.owned(network.getLabels(), project)) {
      throw new RuntimeUnavailableException(
          "network "
              + network.getName()
              + " exists but is not dockscale's for project "
              + project
              + "; remove it or choose another project name (project: in dockscale.yml)");
    }
  }

  /** Tries to remove a network still in use this often, this far apart, before saying so. */
  private static final int REMOVE_TRIES = 10;

  private static final long REMOVE_PAUSE_MS = 300;

  /**
   * Removes the project's network when it is there and dockscale's; says whether it did. The Engine
   * detaches removed containers a moment after it says they are gone, so a network still in use is
   * tried again, {@value #REMOVE_TRIES} times over about 3 s, before it is reported.
   *
   * @throws RuntimeUnavailableException naming the fix when something still uses it
   */
  public static boolean removeOwned(DockerClient docker, String project, String name) {
    Optional<Network> net = find(docker, name);
    if (net.isEmpty() || !Labels.owned(net.get().getLabels(), project)) {
      return false;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        docker.removeNetworkCmd(net.get().getId()).exec();
        return true;
      } catch (NotFoundException gone) {
        return true;
      } catch (RuntimeException e) {
        if (attempt >= REMOVE_TRIES) {
          throw new RuntimeUnavailableException(
              "network "
                  + name
                  + " was kept: containers that are not dockscale's are still attached to it ("
                  + String.valueOf(e.getMessage()).trim()
                  + "); disconnect or remove them, then run down again",
              e);
        }
      }
      try {
        Thread.sleep(REMOVE_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeUnavailableException("interrupted while removing network " + name, e);
      }
    }
  }
}
