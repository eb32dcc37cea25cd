package dev.dockscale.engine;

/**
 * The container runtime (or the balancer on it) cannot be reached, or refused a call in a way the
 * engine cannot mend by itself: the pass says so and a later one tries again. Thrown by adapters
 * through the ports.
 */
public class RuntimeUnavailableException extends RuntimeException {
  public RuntimeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public RuntimeUnavailableException(String message) {
    super(message);
  }
}
