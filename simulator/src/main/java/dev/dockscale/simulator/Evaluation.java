package dev.dockscale.simulator;

import dev.dockscale.policy.Preset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out comparison: {@code hpa-tuned} (HPA's rule and pipeline) and {@code hpa-tuned-1s}
 * (HPA's rule on dockscale's pipeline, to tell the rule from the cadence) are tuned on the training
 * traces, then every policy runs on every held-out trace. The dockscale preset's settings were
 * tuned the same way, on the same training traces, from where {@code hpa-tuned-1s} ended ({@link
 * #tuneDockscale}; a test keeps the preset equal to what it finds).
 */
public final class Evaluation {

  /** Every policy's summary per held-out trace, the totals, and what tuning found. */
  public record Report(
      Map<String, List<Summary>> byTrace,
      Map<String, Summary> totals,
      Map<String, Double> costs,
      Tuner.Tuned hpaTuned,
      Tuner.Tuned hpaTunedFast) {}

  private Evaluation() {}

  /** The contenders other than static-peak (which is sized per trace). */
  public static List<Contender> contenders(
      Duration interval, int min, int max, Tuner.Tuned hpaTuned, Tuner.Tuned hpaTunedFast) {
    List<Contender> list = new ArrayList<>();
    list.add(Baselines.classic(interval, min, max));
    list.add(Baselines.hpa(min, max));
    list.add(new Contender("hpa-tuned", hpaTuned.policy(), Pipeline.HPA));
    list.add(new Contender("hpa-tuned-1s", hpaTunedFast.policy(), Pipeline.dockscale(interval)));
    list.add(Baselines.dockscale(interval, min, max));
    list.add(Baselines.dockscaleCpuOnly(interval, min, max));
    return list;
  }

  /**
   * HPA's rules with the best behaviour the tuner finds on the training traces, on {@code
   * pipeline}.
   */
  public static Tuner.Tuned tuneHpa(
      Pipeline pipeline,
      SimulatedService service,
      int min,
      int max,
      Comparison comparison,
      Tuner.Objective objective) {
    return Tuner.tune(
        "hpa-tuned",
        Baselines::hpaRules,
        80,
        Preset.HPA.behavior(),
        Tuner.Space.HPA,
        pipeline,
        service,
        min,
        max,
        TraceSet.TRAINING,
        new Comparison(comparison.offsets(), comparison.slo(), false),
        objective);
  }

  /**
   * dockscale's rule (HPA's, reading the balancer's demand, plus a forecast) tuned by the same
   * search on dockscale's pipeline, starting from the settings HPA's rule ended at on that pipeline
   * ({@code hpaOnItsPipeline}). Reading demand changes the rule, so that start is not a point of
   * this search and the result is not bound to cost less; {@code TunerTest} checks that it does on
   * the training traces.
   */
  public static Tuner.Tuned tuneDockscale(
      Tuner.Tuned hpaOnItsPipeline,
      Duration interval,
      SimulatedService service,
      int min,
      int max,
      Comparison comparison,
      Tuner.Objective objective) {
    return Tuner.tune(
        "dockscale",
        Baselines::hpaRules,
        hpaOnItsPipeline.target(),
        hpaOnItsPipeline.policy().behavior().withDemand(true),
        Tuner.Space.DOCKSCALE,
        Pipeline.dockscale(interval),
        service,
        min,
        max,
        TraceSet.TRAINING,
        new Comparison(comparison.offsets(), comparison.slo(), false),
        objective);
  }

  public static Report run(
      SimulatedService service,
      Duration interval,
      int min,
      int max,
      Comparison comparison,
      Tuner.Objective objective) {
    Tuner.Tuned hpaTuned = tuneHpa(Pipeline.HPA, service, min, max, comparison, objective);
    Tuner.Tuned hpaTunedFast =
        tuneHpa(Pipeline.dockscale(interval), service, min, max, comparison, objective);
    Map<String, List<Summary>> byTrace = new LinkedHashMap<>();
    Map<String, List<Summary>> byPolicy = new LinkedHashMap<>();
    for (Trace trace : TraceSet.HELD_OUT.traces()) {
      List<Contender> contenders = new ArrayList<>();
      contenders.add(Baselines.staticPeak(service, trace, min, max));
      contenders.addAll(contenders(interval, min, max, hpaTuned, hpaTunedFast));
      List<Summary> summaries =
          comparison.run(contenders, service, trace).stream()
              .map(Simulator.Result::summary)
              .toList();
      byTrace.put(trace.name(), summaries);
      summaries.forEach(s -> byPolicy.computeIfAbsent(s.policy(), k -> new ArrayList<>()).add(s));
    }
    Map<String, Summary> totals = new LinkedHashMap<>();
    Map<String, Double> costs = new LinkedHashMap<>();
    byPolicy.forEach(
        (policy, runs) -> {
          totals.put(policy, Summary.total(runs));
          costs.put(policy, runs.stream().mapToDouble(s -> objective.cost(s, service)).sum());
        });
    return new Report(byTrace, totals, costs, hpaTuned, hpaTunedFast);
  }
}
