package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The search, and the line between what it may read and what it is graded on. */
class TunerTest {

  private static final ServiceSpec WEB =
      ConfigLoader.load(Path.of("traces/reference.yml")).services().get("web");
  private static final SimulatedService SERVICE = SimulatedService.of(WEB);
  private static final Pipeline EVERY_SECOND = Pipeline.dockscale(Duration.ofSeconds(1));

  /** A few values of each setting, HPA's defaults among them, to keep the search quick. */
  private static final Tuner.Space SMALL =
      new Tuner.Space(
          List.of(60.0, 80.0),
          List.of(Duration.ofSeconds(30), Duration.ofSeconds(300)),
          List.of(Preset.HPA.behavior().upLimits()),
          List.of(Duration.ofSeconds(30)),
          List.of());

  /** HPA's rule tuned over the small space, on HPA's pipeline, with {@code set}. */
  private static Tuner.Tuned tuneSmall(TraceSet set) {
    return Tuner.tune(
        "t",
        Baselines::hpaRules,
        80,
        Preset.HPA.behavior(),
        SMALL,
        Pipeline.HPA,
        SERVICE,
        1,
        12,
        set,
        new Comparison(1, Comparison.DEFAULT_SLO, false),
        Tuner.Objective.DEFAULT);
  }

  @net.jqwik.api.Example
  void tuningNeverReadsTheHeldOutTraces() {
    int before = TraceSet.HELD_OUT.reads();
    tuneSmall(TraceSet.TRAINING);
    assertThat(TraceSet.HELD_OUT.reads()).isEqualTo(before);
    assertThatThrownBy(() -> tuneSmall(TraceSet.HELD_OUT))
        .hasMessageContaining("tuning reads the training set only");
  }

  @net.jqwik.api.Example
  void trainingAndHeldOutTracesDifferAndOnlyHeldOutHasTheFlashCrowd() {
    List<Trace> training = TraceSet.TRAINING.traces();
    List<Trace> heldOut = TraceSet.HELD_OUT.traces();
    List<String> trainingNames = training.stream().map(Trace::name).toList();
    assertThat(heldOut).extracting(Trace::name).doesNotContainAnyElementsOf(trainingNames);
    assertThat(heldOut.stream().map(Trace::points).toList())
        .doesNotContainAnyElementsOf(training.stream().map(Trace::points).toList());
    assertThat(trainingNames).noneMatch(n -> n.startsWith("flash-crowd"));
    assertThat(heldOut).extracting(Trace::name).anyMatch(n -> n.startsWith("flash-crowd"));
    assertThat(heldOut).extracting(Trace::name).contains("noise-2%-s101", "noise-25%-s103");
    // Seeded: the same seed, the same trace.
    assertThat(TraceGenerator.RAMP.generate(5).points())
        .isEqualTo(TraceGenerator.RAMP.generate(5).points());
  }

  @net.jqwik.api.Example
  void theDockscalePresetIsWhatTheTunerFindsOnTheTrainingTraces() {
    Comparison comparison =
        new Comparison(Comparison.DEFAULT_OFFSETS, Comparison.DEFAULT_SLO, false);
    Tuner.Tuned hpa =
        Evaluation.tuneHpa(EVERY_SECOND, SERVICE, 1, 12, comparison, Tuner.Objective.DEFAULT);
    Tuner.Tuned tuned =
        Evaluation.tuneDockscale(
            hpa, Duration.ofSeconds(1), SERVICE, 1, 12, comparison, Tuner.Objective.DEFAULT);
    // Rules and behaviour together, so that a failure shows all that the tuner found.
    assertThat(List.of(tuned.policy().rules(), tuned.policy().behavior()))
        .isEqualTo(List.of(Preset.DOCKSCALE.rules(), Preset.DOCKSCALE.behavior()));
    assertThat(tuned.cost()).isLessThanOrEqualTo(hpa.cost());
  }

  @Property(tries = 4)
  void hpaTunedOnDockscalesPipelineIsNeverWorseThanHpaOnTheTrainingSet(
      @ForAll @DoubleRange(min = 0, max = 50) double missWeight,
      @ForAll @IntRange(min = 2, max = 30) int startupSeconds) {
    SimulatedService service = SERVICE.withStartup(Duration.ofSeconds(startupSeconds));
    Comparison comparison = new Comparison(1, Comparison.DEFAULT_SLO, false);
    Tuner.Objective objective = new Tuner.Objective(missWeight);
    Tuner.Tuned tuned =
        Tuner.tune(
            "hpa-tuned",
            Baselines::hpaRules,
            80,
            Preset.HPA.behavior(),
            SMALL,
            EVERY_SECOND,
            service,
            1,
            12,
            TraceSet.TRAINING,
            comparison,
            objective);
    double hpa =
        Tuner.cost(
            ScalingPolicy.of(Preset.HPA, 1, 12),
            EVERY_SECOND,
            service,
            TraceSet.TRAINING.traces(),
            comparison,
            objective);
    assertThat(tuned.cost()).isLessThanOrEqualTo(hpa);
  }
}
