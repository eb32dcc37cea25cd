package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The queue model against textbook M/M/c figures and against a discrete-event run. */
class MmcQueueTest {

  @Test
  void mm1MatchesItsClosedForm() {
    MmcQueue q = new MmcQueue(30, 50, 1);
    assertThat(q.waitProbability()).isCloseTo(0.6, offset(1e-12));
    assertThat(q.meanSojourn()).isCloseTo(1 / (50.0 - 30), offset(1e-12));
    // M/M/1 sojourn is exponential with rate mu - lambda.
    assertThat(q.answeredWithin(0.25)).isCloseTo(1 - Math.exp(-20 * 0.25), offset(1e-12));
  }

  @Test
  void erlangCAndMeanWaitMatchTextbookValues() {
    // M/M/2, lambda 1.5, mu 1: C = 4.5 / 7, Wq = C / (2 - 1.5).
    MmcQueue two = new MmcQueue(1.5, 1, 2);
    assertThat(two.waitProbability()).isCloseTo(4.5 / 7, offset(1e-12));
    assertThat(two.meanSojourn()).isCloseTo(4.5 / 7 / 0.5 + 1, offset(1e-12));
    // M/M/3, lambda 2, mu 1: C = 4 / 9, Wq = C / (3 - 2).
    MmcQueue three = new MmcQueue(2, 1, 3);
    assertThat(three.waitProbability()).isCloseTo(4.0 / 9, offset(1e-12));
    assertThat(three.meanSojourn()).isCloseTo(4.0 / 9 + 1, offset(1e-12));
  }

  @Test
  void sojournDistributionMatchesADiscreteEventRun() {
    for (int c : new int[] {1, 2, 4}) {
      double mu = 10;
      double lambda = 0.8 * c * mu;
      MmcQueue q = new MmcQueue(lambda, mu, c);
      double[] sojourns = run(lambda, mu, c, 400_000, new Random(42 + c));
      double mean = java.util.Arrays.stream(sojourns).average().orElseThrow();
      assertThat(mean)
          .as("mean, c=" + c)
          .isCloseTo(q.meanSojourn(), offset(q.meanSojourn() * 0.03));
      for (double t : new double[] {0.05, 0.2, 0.5}) {
        double share =
            java.util.Arrays.stream(sojourns).filter(s -> s <= t).count()
                / (double) sojourns.length;
        assertThat(share)
            .as("P(T <= " + t + "), c=" + c)
            .isCloseTo(q.answeredWithin(t), offset(0.01));
      }
    }
  }

  @Test
  void staysFiniteForManyServers() {
    // a = lambda / mu = 1800: a^c / c! alone would overflow a double.
    MmcQueue big = new MmcQueue(1800, 1, 2000);
    assertThat(big.waitProbability()).isBetween(0.0, 1.0);
    assertThat(big.meanSojourn()).isCloseTo(1.0, offset(0.01));
  }

  @Test
  void refusesAnUnstableQueue() {
    assertThatThrownBy(() -> new MmcQueue(20, 10, 2).meanSojourn())
        .hasMessageContaining("grows without bound");
    assertThatThrownBy(() -> new MmcQueue(-1, 10, 2)).hasMessageContaining("lambda >= 0");
  }

  /** FCFS with c servers: each arrival starts on the server that frees first. */
  private static double[] run(double lambda, double mu, int c, int n, Random random) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int i = 0; i < c; i++) {
      free.add(0.0);
    }
    double[] sojourns = new double[n];
    double t = 0;
    for (int i = -n / 10; i < n; i++) {
      t += -Math.log(1 - random.nextDouble()) / lambda;
      double start = Math.max(t, free.poll());
      double done = start - Math.log(1 - random.nextDouble()) / mu;
      free.add(done);
      if (i >= 0) {
        sojourns[i] = done - t;
      }
    }
    return sojourns;
  }
}
