package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
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

  /**
   * Removes the project's network when it is there and dockscale's; says whether it did.
   *
   * @throws RuntimeUnavailableException naming the fix when something still uses it
   */
  public static boolean removeOwned(DockerClient docker, String project, String name) {
    Optional<Network> net = find(docker, name);
    if (net.isEmpty() || !Labels.owned(net.get().getLabels(), project)) {
      return false;
    }
    try {
      docker.removeNetworkCmd(net.get().getId()).exec();
      return true;
    } catch (RuntimeException e) {
      throw new RuntimeUnavailableException(
          "network "
              + name
              + " was kept: containers that are not dockscale's are still attached to it ("
              + String.valueOf(e.getMessage()).trim()
              + "); disconnect or remove them, then run down again",
          e);
    }
  }
}
