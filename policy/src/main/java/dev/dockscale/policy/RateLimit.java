package dev.dockscale.policy;

import java.time.Duration;

/**
 * At most {@code value} replicas (or {@code value} % of the count at the start of the period) may
 * be added, or removed, within any {@code period}, as HPA's scaling policies say.
 */
public record RateLimit(double value, boolean percent, Duration period) {

  public RateLimit {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("a rate limit must be > 0, got " + value);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a rate limit's period must be > 0, got " + period);
    }
  }

  public static RateLimit replicas(int n, Duration period) {
    return new RateLimit(n, false, period);
  }

  public static RateLimit percent(double p, Duration period) {
    return new RateLimit(p, true, period);
  }

  /** The highest count allowed when scaling up from {@code periodStart} replicas. */
  int upperBound(int periodStart) {
    return percent ? (int) Math.ceil(periodStart * (1 + value / 100.0)) : periodStart + (int) value;
  }

  /** The lowest count allowed when scaling down from {@code periodStart} replicas. */
  int lowerBound(int periodStart) {
    return percent ? (int) Math.ceil(periodStart * (1 - value / 100.0)) : periodStart - (int) value;
  }

  @Override
  public String toString() {
    return (percent ? Change.fmt(value) + "%" : Change.fmt(value)) + "/" + Durations.format(period);
  }
}
