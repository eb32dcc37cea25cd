package dev.dockscale.cli;

/** The running dockscale's API could not be read; the message says why and what to check. */
final class ApiUnavailableException extends RuntimeException {
  ApiUnavailableException(String message) {
    super(message);
  }
}
