package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The record of one evaluation: what was seen, what each metric asked for, what the window, rate
 * limits, cooldowns and min/max changed, and the count the service should have. Every evaluation
 * yields one, whether or not it changes anything.
 */
public record Decision(
    Instant at,
    int current,
    int ready,
    int desired,
    Action action,
    String reason,
    List<Proposal> proposals,
    List<Adjustment> adjustments,
    List<ReplicaView> inputs) {

  public enum Action {
    SCALE_UP,
    SCALE_DOWN,
    HOLD;

    public String key() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  /**
   * What one metric asked for.
   *
   * @param utilization the average it was decided on, {@code null} when no replica had a usable
   *     reading
   * @param counted how many replicas that average was taken over
   * @param proposed the count the metric asked for ({@code current} when it had no opinion)
   * @param abstains the strategy has no opinion at this utilisation (outside every step range)
   */
  public record Proposal(
      String metric,
      String strategy,
      Double utilization,
      int counted,
      int proposed,
      boolean abstains,
      String note) {
    public boolean usable() {
      return utilization != null;
    }

    /** Usable and not abstaining: it takes part in choosing the count. */
    public boolean votes() {
      return usable() && !abstains;
    }

    @Override
    public String toString() {
      String unit = Metric.byKey(metric).map(Metric::unit).orElse("%");
      String value = utilization == null ? "n/a" : String.format("%.1f", utilization) + unit;
      return metric
          + "="
          + value
          + "/"
          + counted
          + (abstains ? " abstains" : "->" + proposed)
          + (note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  /** A stage of the behaviour that changed the count: window, rate limit, cooldown, min/max. */
  public record Adjustment(String stage, int before, int after, String note) {
    @Override
    public String toString() {
      return stage + " " + before + "->" + after + " (" + note + ")";
    }
  }

  public Decision {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    proposals = List.copyOf(proposals);
    adjustments = List.copyOf(adjustments);
    inputs = List.copyOf(inputs);
  }

  public static Decision scaleTo(
      Instant at,
      int current,
      int ready,
      int desired,
      String reason,
      List<Proposal> proposals,
      List<Adjustment> adjustments,
      List<ReplicaView> inputs) {
    Action action =
        desired > current ? Action.SCALE_UP : desired < current ? Action.SCALE_DOWN : Action.HOLD;
    return new Decision(
        at, current, ready, desired, action, reason, proposals, adjustments, inputs);
  }

  public static Decision hold(
      Instant at,
      int current,
      int ready,
      String reason,
      List<Proposal> proposals,
      List<Adjustment> adjustments,
      List<ReplicaView> inputs) {
    return new Decision(
        at, current, ready, current, Action.HOLD, reason, proposals, adjustments, inputs);
  }

  public boolean changes() {
    return desired != current;
  }

  /**
   * One log line: action, counts, every metric's proposal, every adjustment, the inputs, the
   * reason.
   */
  public String line() {
    StringBuilder b = new StringBuilder();
    b.append(action.key()).append(' ').append(current).append("->").append(desired);
    b.append(" ready=").append(ready);
    b.append(" metrics[")
        .append(proposals.stream().map(Proposal::toString).collect(Collectors.joining("; ")))
        .append(']');
    if (!adjustments.isEmpty()) {
      b.append(" adjusted[")
          .append(adjustments.stream().map(Adjustment::toString).collect(Collectors.joining("; ")))
          .append(']');
    }
    b.append(" inputs[")
        .append(inputs.stream().map(Decision::input).collect(Collectors.joining("; ")))
        .append(']');
    b.append(" reason: ").append(reason);
    return b.toString();
  }

  private static String input(ReplicaView r) {
    StringBuilder b = new StringBuilder(r.id()).append(r.ready() ? "" : " not-ready");
    r.readings()
        .forEach(
            (metric, value) ->
                b.append(' ')
                    .append(metric.key())
                    .append('=')
                    .append(String.format("%.1f", value)));
    return b.toString();
  }
}
