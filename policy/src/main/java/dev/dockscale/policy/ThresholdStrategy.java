package dev.dockscale.policy;

/**
 * The original scripts' rule: above {@code up} add a step, below {@code down} remove a step, in
 * between stay. With several metrics, {@link Autoscaler} scales in only when every metric is below
 * its {@code down}.
 */
public record ThresholdStrategy(double up, double down, Change step) implements Strategy {

  public ThresholdStrategy {
    if (!(down >= 0) || !(up > down)) {
      throw new IllegalArgumentException(
          "thresholds need 0 <= down < up, got down " + down + ", up " + up);
    }
  }

  @Override
  public int propose(double utilization, int replicas, int current) {
    if (utilization > up) {
      return current + step.replicasFrom(current);
    }
    if (utilization < down) {
      return current - step.replicasFrom(current);
    }
    return current;
  }

  @Override
  public String describe() {
    return "threshold(up " + Change.fmt(up) + ", down " + Change.fmt(down) + ", step " + step + ")";
  }
}
