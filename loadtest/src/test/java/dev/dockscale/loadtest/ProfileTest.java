package dev.dockscale.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dockscale.loadtest.Profile.Phase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {

  private static final String TARGET = "http://127.0.0.1:8080/";

  @Test
  void aStepIsBaseThenHighBetweenT1AndT2ThenBase() {
    Profile step =
        Profile.of(
            "step",
            TARGET,
            Map.of("base", "20", "high", "200", "t1", "10", "t2", "25", "duration", "40"));

    assertThat(step.phases())
        .containsExactly(
            new Phase(20, 20, Duration.ofSeconds(10)),
            new Phase(200, 200, Duration.ofSeconds(15)),
            new Phase(20, 20, Duration.ofSeconds(15)));
    assertThat(step.duration()).isEqualTo(Duration.ofSeconds(40));
    assertThat(step.expectedRequests()).isCloseTo(200 + 3000 + 300, within(1e-9));
    assertThat(step.randomized()).isTrue();
  }

  @Test
  void aSpikeIsAShortPeakInTheBaseRate() {
    Profile spike =
        Profile.of(
            "spike",
            TARGET,
            Map.of(
                "peak", "400", "at", "5", "length", "0.5", "duration", "10", "arrivals", "even"));

    assertThat(spike.phases())
        .containsExactly(
            new Phase(10, 10, Duration.ofSeconds(5)),
            new Phase(400, 400, Duration.ofMillis(500)),
            new Phase(10, 10, Duration.ofMillis(4_500)));
    assertThat(spike.randomized()).isFalse();
  }

  @Test
  void aRampGoesUpHoldsAndComesDownInStraightLines() {
    Profile ramp =
        Profile.of(
            "ramp",
            TARGET,
            Map.of(
                "base", "0", "peak", "100", "up", "10", "hold", "5", "down", "20", "slo", "250"));

    assertThat(ramp.phases())
        .containsExactly(
            new Phase(0, 100, Duration.ofSeconds(10)),
            new Phase(100, 100, Duration.ofSeconds(5)),
            new Phase(100, 0, Duration.ofSeconds(20)));
    assertThat(ramp.expectedRequests()).isCloseTo(500 + 500 + 1000, within(1e-9));
    assertThat(ramp.slo()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void itsRateFollowsThePhasesAndIntegratesToTheExpectedRequests() {
    Profile ramp =
        Profile.of(
            "ramp",
            TARGET,
            Map.of("base", "10", "peak", "110", "up", "10", "hold", "5", "down", "10"));
    ArrivalRate rate = ramp.rate();

    assertThat(rate.perSecond(0)).isEqualTo(10);
    assertThat(rate.perSecond(5)).isCloseTo(60, within(1e-9));
    assertThat(rate.perSecond(12)).isEqualTo(110);
    assertThat(rate.perSecond(20)).isCloseTo(60, within(1e-9));
    assertThat(rate.perSecond(25)).isZero();
    long arrivals = 0;
    for (Arrivals even = Arrivals.evenlySpaced(rate, 25); even.next().isPresent(); ) {
      arrivals++;
    }
    assertThat((double) arrivals).isCloseTo(ramp.expectedRequests(), within(1.0));
  }

  @Test
  void aStepThatEndsAtItsDurationHasNoEmptyLastPhase() {
    Profile step = Profile.of("step", TARGET, Map.of("t1", "1", "t2", "3", "duration", "3"));

    assertThat(step.phases()).hasSize(2);
  }

  @Test
  void refusesATargetThatIsNotLoopback() {
    assertThatThrownBy(() -> Profile.of("step", "http://192.0.2.7:8080/", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load goes to 127.0.0.1 only");
    assertThatThrownBy(() -> Profile.of("step", "https://127.0.0.1/", Map.of()))
        .hasMessageContaining("http:// URL");
  }

  @Test
  void refusesUnknownProfilesKeysAndValuesNamingThem() {
    assertThatThrownBy(() -> Profile.of("wave", TARGET, Map.of()))
        .hasMessageContaining("unknown profile 'wave'")
        .hasMessageContaining("[ramp, spike, step]");
    assertThatThrownBy(() -> Profile.of("step", TARGET, Map.of("peak", "100")))
        .hasMessageContaining("unknown setting 'peak' for profile step");
    assertThatThrownBy(() -> Profile.of("step", TARGET, Map.of("high", "lots")))
        .hasMessageContaining("high must be a number, not 'lots'");
    assertThatThrownBy(() -> Profile.of("step", TARGET, Map.of("t1", "20", "t2", "10")))
        .hasMessageContaining("t1 < t2 <= duration");
    assertThatThrownBy(() -> Profile.of("ramp", TARGET, Map.of("base", "-5")))
        .hasMessageContaining("base must be a rate >= 0");
    assertThatThrownBy(() -> Profile.of("spike", TARGET, Map.of("arrivals", "bursty")))
        .hasMessageContaining("arrivals must be even or poisson");
  }
}
