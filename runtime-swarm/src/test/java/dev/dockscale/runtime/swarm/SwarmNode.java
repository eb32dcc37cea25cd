package dev.dockscale.runtime.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmSpec;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A one-node swarm for integration tests: this engine made a manager when it is not one yet, and
 * put back as it was afterwards (the swarm left, and its bridge removed, only when the test joined
 * it).
 */
public final class SwarmNode implements AutoCloseable {

  private static final String GATEWAY_BRIDGE = "docker_gwbridge";
  private static final String INGRESS_SANDBOX = "gateway_ingress-sbox";

  private final DockerClient docker;
  private final boolean joined;
  private final boolean bridgeWasThere;

  private SwarmNode(DockerClient docker, boolean joined, boolean bridgeWasThere) {
    this.docker = docker;
    this.joined = joined;
    this.bridgeWasThere = bridgeWasThere;
  }

  public static SwarmNode ensure(DockerClient docker) {
    if (active(docker)) {
      return new SwarmNode(docker, false, bridgeExists(docker));
    }
    return init(docker, "127.0.0.1");
  }

  /** Whether this engine is in a swarm already. */
  public static boolean active(DockerClient docker) {
    return docker.infoCmd().exec().getSwarm().getLocalNodeState() == LocalNodeState.ACTIVE;
  }

  /**
   * A new swarm listening and advertised on {@code address} only (the Docker bridge's gateway, for
   * a worker in a container); left on close.
   */
  public static SwarmNode init(DockerClient docker, String address) {
    boolean bridge = bridgeExists(docker);
    docker
        .initializeSwarmCmd(new SwarmSpec())
        .withListenAddr(address + ":2377")
        .withAdvertiseAddr(address)
        .exec();
    return new SwarmNode(docker, true, bridge);
  }

  private static boolean bridgeExists(DockerClient docker) {
    return docker.listNetworksCmd().withNameFilter(GATEWAY_BRIDGE).exec().stream()
        .anyMatch(n -> GATEWAY_BRIDGE.equals(n.getName()));
  }

  /** The ingress sandbox's endpoint on the bridge can outlive the swarm: it is let go first. */
  private void removeBridge() {
    try {
      docker
          .disconnectFromNetworkCmd()
          .withNetworkId(GATEWAY_BRIDGE)
          .withContainerId(INGRESS_SANDBOX)
          .withForce(true)
          .exec();
    } catch (RuntimeException alreadyGone) {
      // Not attached (any more): the removal below says whether the bridge can go.
    }
    docker.removeNetworkCmd(GATEWAY_BRIDGE).exec();
  }

  @Override
  public void close() {
    if (!joined) {
      return;
    }
    docker.leaveSwarmCmd().withForceEnabled(true).exec();
    if (!bridgeWasThere) {
      // Its last endpoints go a moment after the swarm is left.
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () -> {
                if (bridgeExists(docker)) {
                  removeBridge();
                }
                return !bridgeExists(docker);
              });
    }
  }
}
