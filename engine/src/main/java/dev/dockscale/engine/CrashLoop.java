package dev.dockscale.engine;

import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * A service's crash-loop back-off: the first replica that fails (exited, never became ready, could
 * not be started) is replaced at once; after each further failure in a row the next start waits
 * twice as long, from 1 s up to 2 min, so a broken image never spins. A replica that becomes ready
 * ends it.
 */
final class CrashLoop {

  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2));

  private int failures;
  private Instant nextStart = Instant.EPOCH;
  private String lastFailure = "";
  private Instant lastFailureAt = Instant.EPOCH;

  /** Records one failure at {@code now}, with what happened for users. */
  void failed(Instant now, String what) {
    failures++;
    lastFailure = what;
    lastFailureAt = now;
    nextStart = now.plus(delay(failures));
  }

  static Duration delay(int failures) {
    // The first failure is replaced at once; the back-off starts with the second.
    return BACKOFF.delay(failures - 1);
  }

  void recovered() {
    failures = 0;
    nextStart = Instant.EPOCH;
    lastFailure = "";
  }

  /** When the last failure was; a replica started after it and ready ends the loop. */
  Instant lastFailureAt() {
    return lastFailureAt;
  }

  boolean mayStart(Instant now) {
    return !now.isBefore(nextStart);
  }

  int failures() {
    return failures;
  }

  /** For the status line: empty when not backing off. */
  String describe(Instant now) {
    if (failures == 0) {
      return "";
    }
    Duration wait = Duration.between(now, nextStart);
    return "crash loop: "
        + failures
        + (failures == 1 ? " failure" : " failures")
        + " in a row (last: "
        + lastFailure
        + ")"
        + (wait.isNegative() || wait.isZero() ? "" : ", next start in " + Durations.format(wait));
  }
}
