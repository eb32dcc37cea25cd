package dev.dockscale.policy;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Step scaling, as AWS does it: ranges of the metric, each with how many replicas to add or remove
 * while the metric is in it. Ranges are {@code [from, to)}; outside every range nothing changes.
 */
public record StepStrategy(List<Step> steps) implements Strategy {

  /** While the metric is in {@code [from, to)}, add ({@code add > 0}) or remove a change. */
  public record Step(double from, double to, boolean add, Change change) {
    public Step {
      if (!(from >= 0) || !(to > from)) {
        throw new IllegalArgumentException(
            "a step range needs 0 <= from < to, got [" + from + ", " + to + ")");
      }
    }

    boolean contains(double value) {
      return value >= from && value < to;
    }

    @Override
    public String toString() {
      String upper = Double.isInfinite(to) ? "inf" : Change.fmt(to);
      return "[" + Change.fmt(from) + "," + upper + ")" + (add ? "+" : "-") + change;
    }
  }

  public StepStrategy {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("step scaling needs at least one step");
    }
    steps = steps.stream().sorted(Comparator.comparingDouble(Step::from)).toList();
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).from() < steps.get(i - 1).to()) {
        throw new IllegalArgumentException(
            "step ranges overlap: " + steps.get(i - 1) + " and " + steps.get(i));
      }
    }
  }

  @Override
  public boolean opines(double utilization) {
    return steps.stream().anyMatch(step -> step.contains(utilization));
  }

  @Override
  public int propose(double utilization, int replicas, int current) {
    for (Step step : steps) {
      if (step.contains(utilization)) {
        int by = step.change().replicasFrom(current);
        return step.add() ? current + by : current - by;
      }
    }
    return current;
  }

  @Override
  public String describe() {
    return "step(" + steps.stream().map(Step::toString).collect(Collectors.joining(" ")) + ")";
  }
}
