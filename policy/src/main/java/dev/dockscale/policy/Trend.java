package dev.dockscale.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A short-term forecast of one metric's total load (its average times the replicas it was averaged
 * over): a least-squares line through the samples of the last {@code window}, extended {@code
 * lookahead} ahead. Only a clearly rising line forecasts anything (see {@link #slope}), and only
 * once the samples span half the window: a forecast may add replicas ahead of a ramp, never take
 * them away.
 */
final class Trend {

  private record Sample(Instant at, double load) {}

  /** How many standard errors above 0 a slope must be to count as a rise. */
  static final double T_STATISTIC = 3;

  private final Duration window;
  private final Duration lookahead;
  private final Deque<Sample> samples = new ArrayDeque<>();

  Duration lookahead() {
    return lookahead;
  }

  Trend(Duration lookahead) {
    this.lookahead = lookahead;
    this.window = lookahead.multipliedBy(2);
  }

  void add(Instant at, double load) {
    samples.addLast(new Sample(at, load));
    while (Duration.between(samples.peekFirst().at(), at).compareTo(window) > 0) {
      samples.removeFirst();
    }
  }

  /**
   * The load forecast {@code lookahead} after the latest sample, if the trend rises; else the
   * latest load itself.
   */
  double forecast() {
    Sample last = samples.peekLast();
    if (last == null) {
      return 0;
    }
    double slope = slope(last.at());
    return slope > 0 ? last.load() + slope * seconds(lookahead) : last.load();
  }

  /**
   * The slope in load per second; 0 when the samples are too few, span too little time, or do not
   * rise clearly: the slope must be at least {@link #T_STATISTIC} standard errors above 0, so that
   * noise around a flat load forecasts nothing.
   */
  double slope(Instant now) {
    if (samples.size() < 3
        || Duration.between(samples.peekFirst().at(), now).compareTo(window.dividedBy(2)) < 0) {
      return 0;
    }
    int n = samples.size();
    double meanX = 0;
    double meanY = 0;
    for (Sample s : samples) {
      meanX += seconds(Duration.between(now, s.at())) / n;
      meanY += s.load() / n;
    }
    double sxx = 0;
    double sxy = 0;
    for (Sample s : samples) {
      double dx = seconds(Duration.between(now, s.at())) - meanX;
      sxx += dx * dx;
      sxy += dx * (s.load() - meanY);
    }
    if (sxx <= 1e-12) {
      return 0;
    }
    double slope = sxy / sxx;
    double residuals = 0;
    for (Sample s : samples) {
      double fitted = meanY + slope * (seconds(Duration.between(now, s.at())) - meanX);
      residuals += (s.load() - fitted) * (s.load() - fitted);
    }
    double standardError = Math.sqrt(residuals / (n - 2) / sxx);
    return slope > 0 && slope >= T_STATISTIC * standardError ? slope : 0;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
