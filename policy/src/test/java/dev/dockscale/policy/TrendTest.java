package dev.dockscale.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forecast: ahead of a clear rise, never on noise, never downward. */
class TrendTest {

  private static final Duration LOOKAHEAD = Duration.ofSeconds(10);

  private static ScalingPolicy withForecast(Duration lookahead) {
    return Fixtures.policy(
        1, 20, Behavior.none().withLookahead(lookahead), Fixtures.cpu(new TargetStrategy(60, 0.1)));
  }

  /** One replica-count decision a second, each replica reading {@code load(t)}. */
  private static List<Decision> replay(ScalingPolicy policy, int start, double[] loads) {
    ManualClock clock = new ManualClock(Fixtures.START);
    Autoscaler a = new Autoscaler(policy, clock);
    List<Decision> decisions = new ArrayList<>();
    int replicas = start;
    double total = loads[0] * start;
    for (double perReplicaAtStart : loads) {
      total = perReplicaAtStart * start;
      Decision d = Fixtures.carriedOut(a, Fixtures.atCpu(replicas, total / replicas));
      decisions.add(d);
      replicas = d.desired();
      clock.advance(Duration.ofSeconds(1));
    }
    return decisions;
  }

  private static int firstScaleUp(List<Decision> decisions) {
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i).action() == Decision.Action.SCALE_UP) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aSteadyRampIsScaledForBeforeItLeavesTheBand() {
    // Two replicas at 40 %, rising 0.5 % a second: the band's upper edge (66 %) is reached at
    // t = 52 s; the forecast sees it about 10 s ahead.
    double[] ramp = new double[60];
    for (int t = 0; t < ramp.length; t++) {
      ramp[t] = 40 + t * 0.5;
    }
    int without = firstScaleUp(replay(withForecast(Duration.ZERO), 2, ramp));
    List<Decision> with = replay(withForecast(LOOKAHEAD), 2, ramp);
    int ahead = firstScaleUp(with);
    assertThat(without).isEqualTo(52);
    assertThat(ahead).isBetween(without - 12, without - 8);
    assertThat(with.get(ahead).proposals().get(0).note()).contains("rising").contains("in 10s");
  }

  @Test
  void noiseAroundAFlatLoadForecastsNothing() {
    Random random = new Random(7);
    double[] noisy = new double[600];
    for (int t = 0; t < noisy.length; t++) {
      noisy[t] = 55 * (1 + 0.03 * random.nextGaussian());
    }
    assertThat(replay(withForecast(LOOKAHEAD), 3, noisy))
        .allSatisfy(d -> assertThat(d.action()).isEqualTo(Decision.Action.HOLD));
  }

  @Test
  void aStepIsNotATrend() {
    // Two replicas at 40 %, then 65 % from t = 20 s: inside the band, a jump, not a ramp.
    double[] step = new double[60];
    for (int t = 0; t < step.length; t++) {
      step[t] = t < 20 ? 40 : 65;
    }
    assertThat(replay(withForecast(LOOKAHEAD), 2, step))
        .allSatisfy(d -> assertThat(d.action()).isEqualTo(Decision.Action.HOLD));
  }

  @Test
  void aFallingLoadIsNeverForecastDown() {
    double[] falling = new double[40];
    for (int t = 0; t < falling.length; t++) {
      falling[t] = 58 - t * 0.2;
    }
    assertThat(replay(withForecast(LOOKAHEAD), 4, falling))
        .allSatisfy(d -> assertThat(d.action()).isEqualTo(Decision.Action.HOLD));
  }

  @Test
  void theSlopeNeedsAClearRise() {
    Trend trend = new Trend(Duration.ofSeconds(5));
    for (int t = 0; t < 10; t++) {
      trend.add(Fixtures.START.plusSeconds(t), t % 2 == 0 ? 100 : 104);
    }
    assertThat(trend.slope(Fixtures.START.plusSeconds(9))).isZero();
    Trend rising = new Trend(Duration.ofSeconds(5));
    for (int t = 0; t < 10; t++) {
      rising.add(Fixtures.START.plusSeconds(t), 100 + 3 * t + (t % 2));
    }
    assertThat(rising.slope(Fixtures.START.plusSeconds(9))).isBetween(2.5, 3.5);
    // The last load (128) and 5 s of the slope.
    assertThat(rising.forecast()).isBetween(140.0, 146.0);
  }
}
