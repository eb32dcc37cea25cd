package dev.dockscale.loadtest;

import java.time.Duration;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of the latencies of the requests answered 2xx, read from an HdrHistogram recorded in
 * microseconds (3 significant digits: a value is within 0.1 % of what was measured).
 */
public record Latencies(long count, Duration p50, Duration p95, Duration p99, Duration max) {

  public Latencies {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
  }

  /** A fresh histogram of microseconds that resizes itself and takes records from any thread. */
  static Histogram newHistogram() {
    return new ConcurrentHistogram(3);
  }

  static Latencies of(Histogram micros) {
    return new Latencies(
        micros.getTotalCount(),
        at(micros, 50),
        at(micros, 95),
        at(micros, 99),
        Duration.ofNanos(micros.getMaxValue() * 1_000));
  }

  private static Duration at(Histogram micros, double percentile) {
    return Duration.ofNanos(micros.getValueAtPercentile(percentile) * 1_000);
  }

  @Override
  public String toString() {
    return String.format(
        "p50 %s ms, p95 %s ms, p99 %s ms, max %s ms over %d answers",
        ms(p50), ms(p95), ms(p99), ms(max), count);
  }

  private static String ms(Duration d) {
    return String.format("%.1f", d.toNanos() / 1e6);
  }
}
