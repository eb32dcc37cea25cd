package dev.dockscale.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsUnitsAndBareSeconds() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void refusesWhatOnlyJavasNumberParserWouldTake() {
    for (String text : new String[] {"1d", "1f", "0x1p3s", "NaN", "Infinity", "1_000ms"}) {
      assertThatThrownBy(() -> Durations.parse(text))
          .as(text)
          .hasMessageContaining("'" + text + "' is not a duration");
    }
  }
}
