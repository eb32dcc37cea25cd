package dev.dockscale.engine;

import java.util.Collection;

/** A service was named that the running config does not have. */
public final class NoSuchServiceException extends RuntimeException {

  private final String service;

  public NoSuchServiceException(String service, Collection<String> known) {
    super("no service '" + service + "'; the services are " + String.join(", ", known));
    this.service = service;
  }

  public String service() {
    return service;
  }
}
