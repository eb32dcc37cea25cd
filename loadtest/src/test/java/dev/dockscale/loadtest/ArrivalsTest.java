package dev.dockscale.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

  @Test
  void poissonArrivalsFollowTheIntegralOfTheRateInEveryWindow() {
    // 100/s, then 400/s from 4 s to 6 s, then 100/s until 10 s: 400 + 800 + 400 arrivals expected
    List<Double> times = all(Arrivals.poisson(ArrivalRate.step(100, 400, 4, 6), 10, 42));

    // a Poisson count of mean m has standard deviation sqrt(m): allow four of them
    assertThat(times).hasSizeBetween(1600 - 160, 1600 + 160);
    assertThat(countBetween(times, 0, 4)).isBetween(400 - 80L, 400 + 80L);
    assertThat(countBetween(times, 4, 6)).isBetween(800 - 113L, 800 + 113L);
    assertThat(countBetween(times, 6, 10)).isBetween(400 - 80L, 400 + 80L);
  }

  @Test
  void evenlySpacedArrivalsCountIsTheIntegralOfTheRate() {
    // up 0 -> 300/s over 2 s, 300/s for 1 s, down over 2 s, then 0: 300 + 300 + 300 = 900
    List<Double> times = all(Arrivals.evenlySpaced(ArrivalRate.ramp(0, 300, 2, 1, 2), 6));

    assertThat(times).hasSizeBetween(899, 900);
    assertThat(countBetween(times, 2, 3)).isBetween(299L, 301L);
    // at a constant 300/s the gaps are all 1/300 s
    List<Double> held = times.stream().filter(t -> t > 2.01 && t < 2.99).toList();
    for (int i = 1; i < held.size(); i++) {
      assertThat(held.get(i) - held.get(i - 1)).isCloseTo(1.0 / 300, within(1e-6));
    }
  }

  @Test
  void poissonGapsVaryAsMuchAsTheyAreLongWhileEvenGapsDoNot() {
    List<Double> poisson = gaps(all(Arrivals.poisson(ArrivalRate.constant(1000), 5, 7)));
    List<Double> even = gaps(all(Arrivals.evenlySpaced(ArrivalRate.constant(1000), 5)));

    // exponential gaps have a coefficient of variation of 1
    assertThat(coefficientOfVariation(poisson)).isCloseTo(1.0, within(0.05));
    assertThat(coefficientOfVariation(even)).isLessThan(1e-3);
  }

  @Test
  void theSameSeedGivesTheSameArrivals() {
    ArrivalRate rate = ArrivalRate.constant(200);

    assertThat(all(Arrivals.poisson(rate, 2, 3))).isEqualTo(all(Arrivals.poisson(rate, 2, 3)));
    assertThat(all(Arrivals.poisson(rate, 2, 3))).isNotEqualTo(all(Arrivals.poisson(rate, 2, 4)));
  }

  @Test
  void noArrivalWhileTheRateIsZeroAndNoneAfterTheEnd() {
    List<Double> times = all(Arrivals.evenlySpaced(ArrivalRate.step(0, 100, 1, 2), 3));

    assertThat(times).hasSizeBetween(99, 100).allMatch(t -> t >= 1 && t <= 2.001);
  }

  @Test
  void refusesANegativeRateWhenItComes() {
    Arrivals arrivals = Arrivals.evenlySpaced(t -> t < 1 ? 10 : -1, 2);

    assertThatThrownBy(() -> all(arrivals))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0 at 1.0");
  }

  @Test
  void refusesALoadWithoutEnd() {
    assertThatThrownBy(
            () -> Arrivals.evenlySpaced(ArrivalRate.constant(1), Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Double> all(Arrivals arrivals) {
    List<Double> times = new ArrayList<>();
    for (OptionalDouble t = arrivals.next(); t.isPresent(); t = arrivals.next()) {
      times.add(t.getAsDouble());
    }
    return times;
  }

  private static long countBetween(List<Double> times, double from, double to) {
    return times.stream().filter(t -> t >= from && t < to).count();
  }

  private static List<Double> gaps(List<Double> times) {
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(times.get(i) - times.get(i - 1));
    }
    return gaps;
  }

  private static double coefficientOfVariation(List<Double> values) {
    double mean = values.stream().mapToDouble(v -> v).average().orElseThrow();
    double variance =
        values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow();
    return Math.sqrt(variance) / mean;
  }
}
