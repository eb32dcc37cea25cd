package dev.dockscale.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How readings reach a policy, and how often it decides. A replica's reading at a decision is its
 * CPU averaged over {@code window} up to the latest scrape ({@code scrape} apart); a replica with
 * no scrape since it became ready has no sample. With {@code demand}, the policy also sees the
 * balancer's readings over the same window: requests answered ({@code rps}) and requests arrived
 * ({@code arrivals}), which a policy that reads demand (the {@code dockscale} preset) uses to size
 * a saturated service to the demand behind its pegged CPU.
 *
 * @param scrape how often readings are taken
 * @param window what each reading averages over
 * @param sync how often the policy decides
 * @param atDecision whether readings are taken at each decision (dockscale reads its counters then)
 * @param demand whether the balancer's request readings reach the policy
 */
public record Pipeline(
    Duration scrape, Duration window, Duration sync, boolean atDecision, boolean demand) {

  /**
   * HPA's: metrics-server scrapes the kubelets every 15 s (its default {@code
   * --metric-resolution}), each CPU reading a rate over about that long, and the controller syncs
   * every 15 s ({@code --horizontal-pod-autoscaler-sync-period}).
   */
  public static final Pipeline HPA =
      new Pipeline(
          Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(15), false, false);

  public Pipeline {
    requirePositive("scrape", scrape);
    requirePositive("window", window);
    requirePositive("sync", sync);
  }

  /**
   * dockscale's loop: cgroup counters read at every decision, each reading the CPU used since the
   * last one, and the balancer's request readings, deciding every {@code interval}. A rule that
   * does not read demand (HPA's, classic) decides as it would without them.
   */
  public static Pipeline dockscale(Duration interval) {
    return new Pipeline(interval, interval, interval, true, true);
  }

  public Pipeline withDemand(boolean seesDemand) {
    return new Pipeline(scrape, window, sync, atDecision, seesDemand);
  }

  private static void requirePositive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(field + " must be > 0, got " + d);
    }
  }

  @Override
  public String toString() {
    return "scrape "
        + dev.dockscale.policy.Durations.format(scrape)
        + ", window "
        + dev.dockscale.policy.Durations.format(window)
        + ", sync "
        + dev.dockscale.policy.Durations.format(sync)
        + (atDecision ? " (read at each decision)" : "")
        + (demand ? ", balancer demand" : "");
  }
}
