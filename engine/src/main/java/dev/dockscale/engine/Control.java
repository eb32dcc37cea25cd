package dev.dockscale.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * How a service is steered by hand, beside its policy: paused (it keeps healing and makes no
 * scaling decision) and an override that pins its count until it expires. Both are {@code null}
 * when not set.
 */
public record Control(Pause pause, Override override) {

  public static final Control NONE = new Control(null, null);

  /** Paused at {@code at} by {@code by} (who or what asked: the API and the caller's address). */
  public record Pause(Instant at, String by) {
    public Pause {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(by, "by");
    }
  }

  /** {@code replicas} pinned from {@code at} until {@code until}, as {@code by} asked. */
  public record Override(int replicas, Instant at, Instant until, String by) {
    public Override {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(until, "until");
      Objects.requireNonNull(by, "by");
      if (!until.isAfter(at)) {
        throw new IllegalArgumentException("an override must end after it starts");
      }
    }

    public boolean expired(Instant now) {
      return !now.isBefore(until);
    }
  }

  public boolean paused() {
    return pause != null;
  }

  Control withPause(Pause p) {
    return new Control(p, override);
  }

  Control withOverride(Override o) {
    return new Control(pause, o);
  }
}
