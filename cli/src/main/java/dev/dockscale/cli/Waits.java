package dev.dockscale.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits and free loopback ports, for the commands that drive a stack themselves. */
final class Waits {

  private Waits() {}

  /** Polls {@code condition} every {@code poll} until it holds (true) or {@code max} passed. */
  static boolean until(BooleanSupplier condition, Duration max, Duration poll)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(poll.toMillis());
    }
    return condition.getAsBoolean();
  }

  /** Like {@link #until}, but not holding in time is an error naming {@code what}. */
  static void require(BooleanSupplier condition, Duration max, String what)
      throws InterruptedException {
    if (!until(condition, max, Duration.ofMillis(20))) {
      throw new IllegalStateException(what + " did not happen within " + max);
    }
  }

  /** A port free on this machine now. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
