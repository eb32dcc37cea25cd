package dev.dockscale.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * A service's crash-loop back-off: the first replica that fails (exited, never became ready, could
 * not be started) is replaced at once; after each further failure in a row the next start waits
 * twice as long, from {@link #INITIAL} up to {@link #MAX}, so a broken image never spins. A replica
 * that becomes ready ends it.
 */
final class CrashLoop {

  static final Duration INITIAL = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(2);

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
    if (failures <= 1) {
      return Duration.ZERO;
    }
    Duration d = INITIAL.multipliedBy(1L << Math.min(failures - 2, 20));
    return d.compareTo(MAX) > 0 ? MAX : d;
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
        + (wait.isNegative() || wait.isZero()
            ? ""
            : ", next start in " + dev.dockscale.policy.Durations.format(wait));
  }
}
