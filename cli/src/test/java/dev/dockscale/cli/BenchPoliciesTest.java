package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.RateLimit;
import dev.dockscale.policy.RateLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy benchmark's configs, profiles and arithmetic. */
class BenchPoliciesTest {

  private static DockscaleConfig config(String policy, String tuned) {
    return ConfigLoader.parse(
        policy + ".yml", BenchPoliciesCommand.yaml("dsbench-p", 18080, policy, 3, tuned));
  }

  @Test
  void staticPeakIsPinnedAndTheOthersScaleFromOneToFour() {
    ServiceSpec pinned = config("static-peak", null).services().get("web");
    assertThat(pinned.policy().min()).isEqualTo(3);
    assertThat(pinned.policy().max()).isEqualTo(3);
    for (String policy : List.of("classic", "hpa", "dockscale")) {
      ServiceSpec web = config(policy, null).services().get("web");
      assertThat(web.policy().min()).as(policy).isEqualTo(1);
      assertThat(web.policy().max()).as(policy).isEqualTo(4);
      assertThat(web.resources().cpus()).isEqualTo(0.5);
    }
  }

  @Test
  void hpaDecidesEvery15sAndTheOthersEverySecond() {
    assertThat(config("hpa", null).interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config("classic", null).interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config("dockscale", null).interval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theTunedSettingsBecomeTheHpaTunedConfig() {
    Behavior tuned =
        Preset.HPA
            .behavior()
            .withDownWindow(Duration.ofSeconds(30))
            .withWarmup(Duration.ofSeconds(3))
            .withUpLimits(
                RateLimits.of(
                    RateLimits.Select.MAX,
                    RateLimit.replicas(4, Duration.ofSeconds(5)),
                    RateLimit.percent(200, Duration.ofSeconds(5))));
    DockscaleConfig c = config("hpa-tuned", BenchPoliciesCommand.tunedScale(65, tuned));

    Behavior read = c.services().get("web").policy().behavior();
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(read.downWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(read.warmup()).isEqualTo(Duration.ofSeconds(3));
    assertThat(read.upLimits()).isEqualTo(tuned.upLimits());
    assertThat(c.services().get("web").policy().rules().get(0).toString()).contains("65");
  }

  @Test
  void theStaticPeakIsWhatTheHighestPeakNeedsAt80PercentOfHalfACore() {
    // 50 req/s of 20 ms = 1.0 core; 0.4 core per replica at 80 %: 3 replicas
    assertThat(
            BenchPoliciesCommand.staticPeak(
                List.of(BenchPoliciesCommand.load("step"), BenchPoliciesCommand.load("spike"))))
        .isEqualTo(3);
    // 15 req/s: 0.3 core, one replica
    assertThat(BenchPoliciesCommand.staticPeak(List.of(BenchPoliciesCommand.load("step:high=15"))))
        .isEqualTo(1);
  }

  @Test
  void aProfileTakesSettingsOverItsDefaultsAndTheSloIsAlways250ms() {
    BenchPoliciesCommand.Load step = BenchPoliciesCommand.load("step:duration=20,t1=5,t2=15");
    assertThat(step.settings())
        .containsEntry("duration", "20")
        .containsEntry("high", "45")
        .containsEntry("slo", "250");
    assertThatThrownBy(() -> BenchPoliciesCommand.load("sawtooth"))
        .hasMessageContaining("unknown profile 'sawtooth'");
  }

  @Test
  void containerSecondsCountEverySampleUntilTheNextWithinTheWindow() {
    List<BenchPoliciesCommand.Sample> samples =
        List.of(
            new BenchPoliciesCommand.Sample(0, 1, 1),
            new BenchPoliciesCommand.Sample(1_000, 2, 2),
            new BenchPoliciesCommand.Sample(2_000, 3, 2),
            new BenchPoliciesCommand.Sample(3_000, 1, 1));
    // [500, 3500]: 0.5 s of 1, 1 s of 2, 1 s of 3, 0.5 s of 1
    assertThat(BenchPoliciesReport.containerSeconds(samples, 500, 3_500)).isEqualTo(6.0);
    // serving 1 -> 2 -> 2 -> 1: two changes, one of them inside (1500, 3500]
    assertThat(BenchPoliciesReport.scaleEvents(samples, 0, 3_500)).isEqualTo(2);
    assertThat(BenchPoliciesReport.scaleEvents(samples, 1_500, 3_500)).isEqualTo(1);
  }
}
