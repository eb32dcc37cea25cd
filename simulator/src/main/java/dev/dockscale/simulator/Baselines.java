package dev.dockscale.simulator;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.policy.TargetStrategy;
import java.time.Duration;
import java.util.List;

/** The policies a fair critic would compare dockscale's with, each on its own pipeline. */
public final class Baselines {

  /** The utilisation a statically sized service is planned for at its peak. */
  static final double STATIC_PEAK_UTILISATION = 0.8;

  private Baselines() {}

  /**
   * As many replicas as the trace's peak needs at {@value #STATIC_PEAK_UTILISATION} utilisation
   * (within [min, max]), all the time: what you run without an autoscaler, if you know the peak.
   */
  public static Contender staticPeak(SimulatedService service, Trace trace, int min, int max) {
    double peak = trace.points().stream().mapToDouble(Trace.Point::demand).max().orElse(0);
    int n = (int) Math.ceil(peak / (service.cpus() * STATIC_PEAK_UTILISATION) - 1e-9);
    int replicas = Math.max(min, Math.min(max, Math.max(1, n)));
    return new Contender(
        "static-peak",
        new ScalingPolicy(
            "static-peak", replicas, replicas, hpaRules(80), Preset.CLASSIC.behavior()),
        Pipeline.dockscale(Duration.ofSeconds(1)));
  }

  /** The original threshold scripts, on dockscale's loop. */
  public static Contender classic(Duration interval, int min, int max) {
    return new Contender(
        "classic", ScalingPolicy.of(Preset.CLASSIC, min, max), Pipeline.dockscale(interval));
  }

  /** HPA with its defaults, on its own pipeline (metrics-server, 15 s sync). */
  public static Contender hpa(int min, int max) {
    return new Contender("hpa", ScalingPolicy.of(Preset.HPA, min, max), Pipeline.HPA);
  }

  /** dockscale's preset on dockscale's loop. */
  public static Contender dockscale(Duration interval, int min, int max) {
    return new Contender(
        "dockscale", ScalingPolicy.of(Preset.DOCKSCALE, min, max), Pipeline.dockscale(interval));
  }

  /**
   * dockscale's preset without the balancer's readings: what its rule does on CPU alone (a pegged
   * replica reads 100 %, whatever the demand behind it), to show what reading demand is worth.
   */
  public static Contender dockscaleCpuOnly(Duration interval, int min, int max) {
    Contender d = dockscale(interval, min, max);
    return new Contender("dockscale-cpu", d.policy(), d.pipeline().withDemand(false));
  }

  /** HPA's rule: CPU target tracking with a 10 % tolerance. */
  public static List<MetricRule> hpaRules(double target) {
    return List.of(new MetricRule(Metric.CPU, new TargetStrategy(target, 0.1)));
  }
}
