package dev.dockscale.runtime.docker;

/** The container runtime cannot be reached or refused a call in a way a retry will not mend. */
public class RuntimeUnavailableException extends RuntimeException {
  public RuntimeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public RuntimeUnavailableException(String message) {
    super(message);
  }
}
