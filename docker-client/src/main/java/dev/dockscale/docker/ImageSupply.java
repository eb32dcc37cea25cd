package dev.dockscale.docker;

/**
 * Makes an image present on the engine before a container of it is created: what an adapter that
 * runs its own containers (the balancer) is handed, so that it needs no knowledge of how images are
 * built or pulled. {@link Images} is the one on the Docker Engine.
 */
@FunctionalInterface
public interface ImageSupply {

  /**
   * Builds or pulls {@code image} when it is not there.
   *
   * @throws dev.dockscale.engine.RuntimeUnavailableException when it cannot be had
   */
  void ensurePresent(String image);
}
