package dev.dockscale.api;

import dev.dockscale.engine.LoggedDecision;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ReplicaView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/services/{name}/history}: a service's recent decisions as columns a chart draws
 * directly (one entry per decision, oldest first), and its scale-ups and scale-downs with their
 * reasons.
 */
final class History {

  /** How far back a history reaches when not told. */
  static final Duration DEFAULT_SPAN = Duration.ofMinutes(15);

  /** The most points one answer holds: 15 minutes of a 250 ms interval. */
  static final int MAX_POINTS = 3600;

  private History() {}

  /**
   * The columns, aligned by index: {@code t} in epoch milliseconds; the readings as the policy saw
   * them ({@code null} where no ready replica had one).
   *
   * @param truncated whether older decisions since {@code since} were left out ({@link
   *     #MAX_POINTS})
   */
  record HistoryJson(
      String service,
      Instant since,
      boolean truncated,
      List<Long> t,
      List<Integer> desired,
      List<Integer> ready,
      List<Double> cpu,
      List<Double> memory,
      List<Double> rps,
      List<Double> latency,
      List<ScaleJson> scales) {}

  /** A decision that changed the count: where the dashboard draws a marker. */
  record ScaleJson(long seq, long t, String action, int from, int to, String reason) {}

  /** {@code newestFirst}, as the decision log pages them, turned into columns oldest first. */
  static HistoryJson of(
      String service, Instant since, List<LoggedDecision> newestFirst, boolean truncated) {
    int n = newestFirst.size();
    List<Long> t = new ArrayList<>(n);
    List<Integer> desired = new ArrayList<>(n);
    List<Integer> ready = new ArrayList<>(n);
    List<Double> cpu = new ArrayList<>(n);
    List<Double> memory = new ArrayList<>(n);
    List<Double> rps = new ArrayList<>(n);
    List<Double> latency = new ArrayList<>(n);
    List<ScaleJson> scales = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      LoggedDecision logged = newestFirst.get(i);
      Decision d = logged.decision();
      t.add(d.at().toEpochMilli());
      desired.add(d.desired());
      ready.add(d.ready());
      cpu.add(average(d.inputs(), Metric.CPU));
      memory.add(average(d.inputs(), Metric.MEMORY));
      rps.add(average(d.inputs(), Metric.RPS));
      latency.add(average(d.inputs(), Metric.LATENCY));
      if (d.action() != Decision.Action.HOLD) {
        scales.add(
            new ScaleJson(
                logged.seq(),
                d.at().toEpochMilli(),
                d.action().key(),
                d.current(),
                d.desired(),
                d.reason()));
      }
    }
    return new HistoryJson(
        service, since, truncated, t, desired, ready, cpu, memory, rps, latency, scales);
  }

  /**
   * {@code metric} averaged over the ready replicas with a reading of it, as the policy sees it.
   */
  private static Double average(List<ReplicaView> inputs, Metric metric) {
    double sum = 0;
    int counted = 0;
    for (ReplicaView r : inputs) {
      Double value = r.readings().get(metric);
      if (r.ready() && value != null) {
        sum += value;
        counted++;
      }
    }
    return counted == 0 ? null : sum / counted;
  }
}
