package dev.dockscale.loadtest;

/**
 * How many requests per second should arrive, as a function of the time since the load began. An
 * open-model load follows it whatever the server does: a slow answer delays nobody's next request.
 */
@FunctionalInterface
public interface ArrivalRate {

  /** Requests per second wanted {@code seconds} after the start; never negative. */
  double perSecond(double seconds);

  static ArrivalRate constant(double perSecond) {
    requireRate("perSecond", perSecond);
    return t -> perSecond;
  }

  /** {@code base}, then {@code high} from {@code from} to {@code to} seconds, then {@code base}. */
  static ArrivalRate step(double base, double high, double from, double to) {
    requireRate("base", base);
    requireRate("high", high);
    if (!(from >= 0 && to > from)) {
      throw new IllegalArgumentException(
          "a step needs 0 <= from < to (seconds), got from " + from + " to " + to);
    }
    return t -> t >= from && t < to ? high : base;
  }

  /**
   * From {@code base} up to {@code peak} in a straight line over {@code up} seconds, {@code peak}
   * for {@code hold} seconds, down to {@code base} over {@code down} seconds, then {@code base}.
   */
  static ArrivalRate ramp(double base, double peak, double up, double hold, double down) {
    requireRate("base", base);
    requireRate("peak", peak);
    if (!(up >= 0 && hold >= 0 && down >= 0)) {
      throw new IllegalArgumentException(
          "ramp durations must not be negative, got up " + up + " hold " + hold + " down " + down);
    }
    return t -> {
      if (t < up) {
        return base + (peak - base) * t / up;
      }
      if (t < up + hold) {
        return peak;
      }
      if (t < up + hold + down) {
        return peak - (peak - base) * (t - up - hold) / down;
      }
      return base;
    };
  }

  private static void requireRate(String name, double perSecond) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          name + " must be a finite rate >= 0 requests/s, got " + perSecond);
    }
  }
}
