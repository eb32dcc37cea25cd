package dev.dockscale.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What dockscale can scale on. Each reading is a utilisation in percent of what one replica is
 * given, so every strategy compares it with the same kind of number. Request rate and latency from
 * the balancer join here later as further constants; the decision core does not change for them.
 */
public enum Metric {
  CPU("cpu", "CPU time used, in % of the replica's CPU limit", 100),
  MEMORY("memory", "memory in use (less page cache), in % of the replica's memory limit", 100);

  private final String key;
  private final String meaning;
  private final double full;

  Metric(String key, String meaning, double full) {
    this.key = key;
    this.meaning = meaning;
    this.full = full;
  }

  /**
   * The reading of a replica that has used all it is given: what a ready replica without a sample
   * is assumed to read when a scale-down is being decided.
   */
  public double full() {
    return full;
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
