package dev.dockscale.policy;

/**
 * Target tracking, as HPA does it: {@code desired = ceil(replicas * utilization / target)}. Inside
 * the tolerance band ({@code |utilization / target - 1| <= tolerance}) nothing changes.
 */
public record TargetStrategy(double target, double tolerance) implements Strategy {

  public static final double DEFAULT_TOLERANCE = 0.1;

  public TargetStrategy {
    if (!(target > 0) || Double.isInfinite(target)) {
      throw new IllegalArgumentException("target must be a number > 0, got " + target);
    }
    if (!(tolerance >= 0) || tolerance >= 1) {
      throw new IllegalArgumentException("tolerance must be from 0 to below 1, got " + tolerance);
    }
  }

  @Override
  public int propose(double utilization, int replicas, int current) {
    double ratio = utilization / target;
    if (Math.abs(ratio - 1) <= tolerance) {
      return current;
    }
    // Guard against 0.9999999 * n landing just above a whole number.
    return (int) Math.ceil(replicas * ratio - 1e-9);
  }

  @Override
  public String describe() {
    return "target(" + Change.fmt(target) + ", tolerance " + Change.fmt(tolerance) + ")";
  }
}
