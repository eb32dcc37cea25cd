package dev.dockscale.loadtest;

import java.util.OptionalDouble;
import java.util.Random;

/**
 * When each request of an open-model load is meant to be sent, in seconds from the start: the n-th
 * arrival comes when the integral of the rate reaches n (evenly spaced) or the sum of n exponential
 * draws of mean 1 (a Poisson process, by time rescaling). The rate is integrated with the trapezoid
 * rule in 1 ms steps, so a rate that changes within a millisecond is seen a millisecond late. Lazy:
 * an arrival is computed when asked for, so a long load costs no memory.
 */
public final class Arrivals {

  /** How arrivals are spaced. */
  public enum Spacing {
    /** One arrival each time the rate's integral grows by 1. */
    EVEN,
    /** A Poisson process of the given rate, from a seeded {@link Random}: bursts and gaps. */
    POISSON
  }

  static final double STEP_SECONDS = 0.001;

  private final ArrivalRate rate;
  private final double endSeconds;
  private final Random random;

  /** The rate is integrated up to {@code stepStart}; each arrival waits for {@code target}. */
  private double stepStart;

  private double integral;
  private double target;

  /**
   * @param random the source of the exponential gaps for {@link Spacing#POISSON}; null for {@link
   *     Spacing#EVEN}
   */
  private Arrivals(ArrivalRate rate, double endSeconds, Random random) {
    if (!(endSeconds > 0) || Double.isInfinite(endSeconds)) {
      throw new IllegalArgumentException("the load must end, after a positive time: " + endSeconds);
    }
    this.rate = rate;
    this.endSeconds = endSeconds;
    this.random = random;
  }

  public static Arrivals evenlySpaced(ArrivalRate rate, double endSeconds) {
    return new Arrivals(rate, endSeconds, null);
  }

  public static Arrivals poisson(ArrivalRate rate, double endSeconds, long seed) {
    return new Arrivals(rate, endSeconds, new Random(seed));
  }

  static Arrivals of(Spacing spacing, ArrivalRate rate, double endSeconds, long seed) {
    return spacing == Spacing.EVEN
        ? evenlySpaced(rate, endSeconds)
        : poisson(rate, endSeconds, seed);
  }

  /**
   * Seconds from the start of the next arrival, or empty once the next would come after the end.
   */
  public OptionalDouble next() {
    target += random == null ? 1 : -Math.log(1 - random.nextDouble());
    while (stepStart < endSeconds) {
      double step = Math.min(STEP_SECONDS, endSeconds - stepStart);
      double from = rateAt(stepStart);
      double to = rateAt(stepStart + step);
      double area = (from + to) / 2 * step;
      if (integral + area >= target && area > 0) {
        return OptionalDouble.of(stepStart + step * (target - integral) / area);
      }
      integral += area;
      stepStart += step;
    }
    return OptionalDouble.empty();
  }

  private double rateAt(double seconds) {
    double perSecond = rate.perSecond(seconds);
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          "the arrival rate must be finite and >= 0, got " + perSecond + " at " + seconds + " s");
    }
    return perSecond;
  }
}
