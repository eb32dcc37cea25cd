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

  /**
   * The share of the window's sample-to-sample changes that must be rises: a ramp rises step by
   * step; a load that jumped once and stays (a step) fits a steep line too, but is not a trend.
   */
  static final double SUSTAINED = 0.7;

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
   * The load forecast {@code lookahead} after the latest sample: the fitted line there, if it
   * clearly rises; else the latest load itself.
   */
  double forecast() {
    Sample last = samples.peekLast();
    if (last == null) {
      return 0;
    }
    Fit fit = fit(last.at());
    return fit.slope() > 0 ? fit.now() + fit.slope() * seconds(lookahead) : last.load();
  }

  /** The slope in load per second, when it clearly rises (see {@link #fit}); else 0. */
  double slope(Instant now) {
    return fit(now).slope();
  }

  /** A fitted line: its slope (0 unless it clearly rises) and its value at the time it is for. */
  private record Fit(double slope, double now) {}

  /**
   * The least-squares line through the samples, at {@code now}. Its slope counts only when the
   * samples are at least 3 and span half the window, and the slope is at least {@link #T_STATISTIC}
   * standard errors above 0, so that noise around a flat load forecasts nothing.
   */
  private Fit fit(Instant now) {
    Sample last = samples.peekLast();
    double latest = last == null ? 0 : last.load();
    if (samples.size() < 3
        || Duration.between(samples.peekFirst().at(), now).compareTo(window.dividedBy(2)) < 0) {
      return new Fit(0, latest);
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
      return new Fit(0, latest);
    }
    double slope = sxy / sxx;
    double residuals = 0;
    for (Sample s : samples) {
      double fitted = meanY + slope * (seconds(Duration.between(now, s.at())) - meanX);
      residuals += (s.load() - fitted) * (s.load() - fitted);
    }
    double standardError = Math.sqrt(residuals / (n - 2) / sxx);
    boolean rises = slope > 0 && slope >= T_STATISTIC * standardError && risingSteps() >= SUSTAINED;
    return new Fit(rises ? slope : 0, meanY - slope * meanX);
  }

  /** The share of sample-to-sample changes in the window that are rises. */
  private double risingSteps() {
    int rises = 0;
    double previous = Double.NaN;
    for (Sample s : samples) {
      if (!Double.isNaN(previous) && s.load() > previous) {
        rises++;
      }
      previous = s.load();
    }
    return (double) rises / (samples.size() - 1);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
