package dev.dockscale.policy;

/**
 * How one metric turns into a replica count: given the metric's average utilisation over the {@code
 * replicas} it was averaged over, and the {@code current} count, the count it asks for. Strategies
 * are pure functions; the rules for missing data, windows, limits and cooldowns are applied around
 * them by {@link Autoscaler}.
 */
public sealed interface Strategy permits ThresholdStrategy, TargetStrategy, StepStrategy {

  int propose(double utilization, int replicas, int current);

  /**
   * Whether the strategy has an opinion at this utilisation. Step scaling has none outside its
   * ranges: it then neither asks for a change nor holds other metrics back from one.
   */
  default boolean opines(double utilization) {
    return true;
  }

  /** A short description for decision records, e.g. {@code threshold(up 70, down 20, step 1)}. */
  String describe();
}
