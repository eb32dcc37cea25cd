package dev.dockscale.engine;

import java.util.List;

/**
 * The load balancer in front of the services. {@link #apply} is idempotent: the same routes twice
 * change nothing the second time.
 */
public interface Balancer {

  /** A service's place at the balancer: its URL prefix and the replicas that take its traffic. */
  record Route(String service, String path, List<Backend> backends) {
    public Route {
      backends = List.copyOf(backends);
    }
  }

  /** One replica behind the balancer. */
  record Backend(String name, String address, int port) {}

  /** What {@link #apply} did. */
  enum Outcome {
    UNCHANGED,
    RELOADED,
    /** The new config failed its check; the previous one stays in force. */
    REJECTED
  }

  /**
   * Creates (or re-creates, when its published address changed) the balancer when absent. An
   * implementation may trust a recent check until {@link #lookAgain} is called.
   */
  void ensureRunning();

  /** Something of the project changed in the runtime: the next {@link #ensureRunning} checks. */
  default void lookAgain() {}

  /** Makes the balancer route exactly these backends; checks the config before it takes effect. */
  Outcome apply(List<Route> routes);
}
