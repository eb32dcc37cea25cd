package dev.dockscale.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * An exponential back-off: the first retry waits {@code initial}, each next one twice as long,
 * never more than {@code max}. Every retry in dockscale uses one (passes, services, crash loops,
 * image pulls, the event stream), each with its own numbers.
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("a back-off needs 0 <= initial <= max");
    }
  }

  /** The wait before retry number {@code attempt} (1 for the first); zero for none yet. */
  public Duration delay(int attempt) {
    if (attempt <= 0) {
      return Duration.ZERO;
    }
    Duration d = initial.multipliedBy(1L << Math.min(attempt - 1, 30));
    return d.compareTo(max) > 0 || d.isNegative() ? max : d;
  }
}
