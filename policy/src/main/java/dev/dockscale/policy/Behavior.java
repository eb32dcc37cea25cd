package dev.dockscale.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast a service may move, whatever its metrics ask for (HPA's {@code behavior}, plus cooldowns
 * and warm-up).
 *
 * @param upWindow scale-up uses the lowest recommendation of this window (0: none)
 * @param downWindow scale-down uses the highest recommendation of this window
 * @param upLimits how many replicas may be added per period
 * @param downLimits how many replicas may be removed per period
 * @param upCooldown after a scale-up, no further change for this long
 * @param downCooldown after a scale-down, no further scale-down for this long (a scale-up may still
 *     happen: being short of capacity is never made to wait)
 * @param warmup a replica's readings are ignored for this long after it started
 * @param lookahead scale up for the load a rising trend will reach this far ahead (0: no forecast);
 *     the trend is fitted over the last {@code 2 * lookahead}, and never scales down
 * @param demand a CPU rule reads the demand the balancer sees: while requests reach the replicas
 *     faster than they are answered, the CPU reading is taken times arrivals / answers, so that a
 *     saturated service is sized to its demand in one step rather than to 100 % of what it has
 */
public record Behavior(
    Duration upWindow,
    Duration downWindow,
    RateLimits upLimits,
    RateLimits downLimits,
    Duration upCooldown,
    Duration downCooldown,
    Duration warmup,
    Duration lookahead,
    boolean demand) {

  public Behavior {
    requireNonNegative("window.up", upWindow);
    requireNonNegative("window.down", downWindow);
    Objects.requireNonNull(upLimits, "upLimits");
    Objects.requireNonNull(downLimits, "downLimits");
    requireNonNegative("cooldown.up", upCooldown);
    requireNonNegative("cooldown.down", downCooldown);
    requireNonNegative("warmup", warmup);
    requireNonNegative("forecast", lookahead);
  }

  /** A behaviour without a forecast. */
  public Behavior(
      Duration upWindow,
      Duration downWindow,
      RateLimits upLimits,
      RateLimits downLimits,
      Duration upCooldown,
      Duration downCooldown,
      Duration warmup) {
    this(
        upWindow,
        downWindow,
        upLimits,
        downLimits,
        upCooldown,
        downCooldown,
        warmup,
        Duration.ZERO,
        false);
  }

  /** No windows, no rate limits, no cooldowns, no warm-up: every decision takes effect as asked. */
  public static Behavior none() {
    return new Behavior(
        Duration.ZERO,
        Duration.ZERO,
        RateLimits.none(),
        RateLimits.none(),
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO);
  }

  private static void requireNonNegative(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + d);
    }
  }

  public Behavior withUpWindow(Duration d) {
    return new Behavior(
        d, downWindow, upLimits, downLimits, upCooldown, downCooldown, warmup, lookahead, demand);
  }

  public Behavior withDownWindow(Duration d) {
    return new Behavior(
        upWindow, d, upLimits, downLimits, upCooldown, downCooldown, warmup, lookahead, demand);
  }

  public Behavior withUpLimits(RateLimits l) {
    return new Behavior(
        upWindow, downWindow, l, downLimits, upCooldown, downCooldown, warmup, lookahead, demand);
  }

  public Behavior withDownLimits(RateLimits l) {
    return new Behavior(
        upWindow, downWindow, upLimits, l, upCooldown, downCooldown, warmup, lookahead, demand);
  }

  public Behavior withUpCooldown(Duration d) {
    return new Behavior(
        upWindow, downWindow, upLimits, downLimits, d, downCooldown, warmup, lookahead, demand);
  }

  public Behavior withDownCooldown(Duration d) {
    return new Behavior(
        upWindow, downWindow, upLimits, downLimits, upCooldown, d, warmup, lookahead, demand);
  }

  public Behavior withWarmup(Duration d) {
    return new Behavior(
        upWindow, downWindow, upLimits, downLimits, upCooldown, downCooldown, d, lookahead, demand);
  }

  public Behavior withLookahead(Duration d) {
    return new Behavior(
        upWindow, downWindow, upLimits, downLimits, upCooldown, downCooldown, warmup, d, demand);
  }

  public Behavior withDemand(boolean on) {
    return new Behavior(
        upWindow,
        downWindow,
        upLimits,
        downLimits,
        upCooldown,
        downCooldown,
        warmup,
        lookahead,
        on);
  }
}
