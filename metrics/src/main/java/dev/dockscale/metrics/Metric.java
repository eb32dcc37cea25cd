package dev.dockscale.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What dockscale can scale on, per replica. CPU and memory are utilisations in percent of what one
 * replica is given, read from the runtime; request rate, requests in flight and latency are read at
 * the balancer, in their own units, and have no ceiling. The decision core treats them alike,
 * except for what it assumes of a ready replica without a reading ({@link #full()}).
 */
public enum Metric {
  CPU("cpu", "CPU time used, in % of the replica's CPU limit", "%", 100, 100),
  MEMORY(
      "memory",
      "memory in use (less page cache), in % of the replica's memory limit",
      "%",
      100,
      100),
  /** Requests per second the balancer sent the replica and saw answered. */
  RPS(
      "rps",
      "requests per second answered by the replica through the balancer",
      " rps",
      Double.POSITIVE_INFINITY,
      1_000_000),
  /**
   * Requests per second that reached the replica through the balancer, answered or not yet: above
   * {@link #RPS} while a backlog grows, which is demand a saturated replica's CPU cannot show.
   */
  ARRIVALS(
      "arrivals",
      "requests per second sent to the replica through the balancer, answered or still waiting",
      " rps",
      Double.POSITIVE_INFINITY,
      1_000_000),
  /** Requests in flight on the replica, by Little's law over the balancer's window. */
  INFLIGHT(
      "inflight",
      "requests in flight on the replica (answered requests x their time at the replica, per second)",
      "",
      Double.POSITIVE_INFINITY,
      1_000_000),
  /** The 95th percentile of the replica's response time as the balancer saw it, in ms. */
  LATENCY(
      "latency",
      "95th percentile of the replica's response time at the balancer, in ms",
      " ms",
      Double.POSITIVE_INFINITY,
      3_600_000);

  private final String key;
  private final String meaning;
  private final String unit;
  private final double full;
  private final double limit;

  Metric(String key, String meaning, String unit, double full, double limit) {
    this.key = key;
    this.meaning = meaning;
    this.unit = unit;
    this.full = full;
    this.limit = limit;
  }

  /**
   * The reading of a replica that has used all it is given: what a ready replica without a sample
   * is assumed to read when a scale-down is being decided. Infinite for the balancer's metrics: a
   * replica has no request rate or latency it cannot exceed, so a ready replica without a reading
   * (the balancer's log could not be read, or nginx does not route to it yet) holds a scale-down on
   * that metric back, as a CPU-bound replica at 100 % would.
   */
  public double full() {
    return full;
  }

  /**
   * Whether the replicas' readings add up to the service's load (CPU, memory, requests): a forecast
   * fits a line to their sum. A latency does not add up.
   */
  public boolean additive() {
    return this != LATENCY;
  }

  /** Whether a reading can never exceed {@link #full()} (a percentage of a limit). */
  public boolean bounded() {
    return !Double.isInfinite(full);
  }

  /** The largest value a rule may name: {@link #full()} when bounded, a sanity limit otherwise. */
  public double limit() {
    return limit;
  }

  /** How a reading is written after its number: {@code %}, {@code rps}, {@code ms}. */
  public String unit() {
    return unit;
  }

  /** The name used in config, decision records and logs. */
  public String key() {
    return key;
  }

  public String meaning() {
    return meaning;
  }

  public static Optional<Metric> byKey(String key) {
    String wanted = key.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.key.equals(wanted)).findFirst();
  }

  public static String keys() {
    return Arrays.stream(values()).map(Metric::key).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return key;
  }
}
