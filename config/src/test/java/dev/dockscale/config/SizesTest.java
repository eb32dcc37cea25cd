package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

  @Test
  void readsUnitsAndWholeFractions() {
    assertThat(Sizes.parse("256m")).isEqualTo(256L << 20);
    assertThat(Sizes.parse("1.5g")).isEqualTo(3L << 29);
    assertThat(Sizes.parse("512MiB")).isEqualTo(512L << 20);
    assertThat(Sizes.parse("8191p".replace("p", "t"))).isEqualTo(8191L << 40);
  }

  @Test
  void refusesASizeALongCannotHold() {
    assertThatThrownBy(() -> Sizes.parse("8388608t"))
        .hasMessageContaining("'8388608t' is more bytes than a size can hold");
    assertThatThrownBy(() -> Sizes.parse("9223372036854775808"))
        .hasMessageContaining("more bytes than a size can hold");
    assertThatThrownBy(() -> Sizes.parse("1" + "0".repeat(100)))
        .hasMessageContaining("more bytes than a size can hold");
    assertThat(Sizes.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void refusesAFractionOfAByteInsteadOfRoundingIt() {
    assertThatThrownBy(() -> Sizes.parse("0.1k"))
        .hasMessageContaining("'0.1k' is 102.4 bytes, not a whole number");
  }
}
