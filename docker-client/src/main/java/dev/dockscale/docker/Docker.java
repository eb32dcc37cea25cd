package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.time.Duration;

/**
 * Opens docker-java clients on the httpclient5 transport, from DOCKER_HOST or the default socket.
 */
public final class Docker {

  /**
   * The engine tells of a change a moment before its list and inspect show it: a look begun within
   * this of a change is not trusted.
   */
  public static final Duration SETTLE = Duration.ofSeconds(1);

  /** While the project's events are watched, what was seen of the engine is trusted this long. */
  public static final Duration TRUSTED = Duration.ofSeconds(10);

  private Docker() {}

  /**
   * Connections of a client for the Engine's API calls: a burst of hundreds of starts at once
   * finishes in the order it began only when each start can keep its connection.
   */
  static final int CALLS = 200;

  /**
   * Connections of a client for stats streams: one each for as long as a replica is watched, so
   * they get a client of their own. Sharing one pool, 300 streams left no connection for the loop's
   * own calls, which then waited minutes for one.
   */
  public static final int STREAMS = 2048;

  /** A client for the Engine's API calls. */
  public static DockerClient connect() {
    return connect(CALLS);
  }

  /** A client with up to {@code maxConnections} connections open at once. */
  public static DockerClient connect(int maxConnections) {
    return connect(maxConnections, Duration.ofMinutes(10));
  }

  /**
   * A client whose calls give up after {@code responseTimeout} without an answer: for callers that
   * must not hang with a hung daemon (the agent answering a scrape).
   */
  public static DockerClient connect(int maxConnections, Duration responseTimeout) {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(maxConnections)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(responseTimeout)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Throws {@link RuntimeUnavailableException} with the fix when the engine does not answer. */
  public static void requireReachable(DockerClient docker) {
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new RuntimeUnavailableException(
          "the Docker engine does not answer ("
              + e.getMessage()
              + "); start it (scripts/ensure-docker.sh, or systemctl start docker) or set DOCKER_HOST",
          e);
    }
  }
}
