package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Change;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.policy.ThresholdStrategy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  /** Half a core, ready 2 s after start, no drain, no burst, 10 ms of CPU per request. */
  private static final SimulatedService HALF_CPU =
      new SimulatedService(
          0.5,
          256,
          Duration.ofSeconds(2),
          Duration.ZERO,
          0,
          Duration.ZERO,
          Duration.ofMillis(10),
          1,
          Duration.ofSeconds(30));

  private static final Pipeline EVERY_SECOND = Pipeline.dockscale(Duration.ofSeconds(1));

  /** CPU thresholds 70 / 20, one replica at a time, nothing else. */
  private static ScalingPolicy threshold(int min, int max) {
    return new ScalingPolicy(
        "c",
        min,
        max,
        List.of(new MetricRule(Metric.CPU, new ThresholdStrategy(70, 20, Change.replicas(1)))),
        Behavior.none());
  }

  private static ScalingPolicy fixed(int replicas) {
    return threshold(replicas, replicas);
  }

  private static Simulator.Result run(
      ScalingPolicy policy, Pipeline pipeline, SimulatedService service, Trace trace) {
    return Simulator.run(
        "p",
        policy,
        pipeline,
        service,
        trace,
        new Simulator.Run(0, 1, trace.end(), Duration.ofMillis(250), true));
  }

  private static double firstScaleUp(Simulator.Result r) {
    return r.rows().stream()
        .filter(row -> row.action().equals("scale-up"))
        .findFirst()
        .orElseThrow()
        .t();
  }

  @Test
  void countsOverloadAndUnservedWorkAboveReadyCapacity() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.5\n10,0.8\n20,0.8\n");
    Summary s = run(fixed(1), EVERY_SECOND, HALF_CPU, trace).summary();
    assertThat(s.containerSeconds()).isEqualTo(20.0);
    assertThat(s.overloadSeconds()).isEqualTo(10.0);
    assertThat(s.unservedCoreSeconds()).isCloseTo(3.0, offset(1e-9));
    assertThat(s.scaleEvents()).isZero();
  }

  @Test
  void aNewReplicaServesOnlyAfterItsStartupTime() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.8\n10,0.8\n");
    Simulator.Result r = run(threshold(1, 4), EVERY_SECOND, HALF_CPU, trace);
    // The first reading (over 0-1 s) is 100 %: scaled at t=1, ready at t=3.
    assertThat(firstScaleUp(r)).isEqualTo(1.0);
    assertThat(r.summary().overloadSeconds()).isEqualTo(3.0);
    assertThat(r.rows().get(2).ready()).isEqualTo(1);
    assertThat(r.rows().get(3).ready()).isEqualTo(2);
  }

  @Test
  void aStartupBurstTakesCapacityAndShowsInTheReading() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.9\n20,0.9\n");
    SimulatedService bursting = HALF_CPU.withBurst(0.5, Duration.ofSeconds(10));
    // Ready at 3 s, but at half its capacity until 13 s: 0.75 cores for 0.9 of demand.
    assertThat(run(threshold(1, 2), EVERY_SECOND, HALF_CPU, trace).summary().overloadSeconds())
        .isEqualTo(3.0);
    assertThat(run(threshold(1, 2), EVERY_SECOND, bursting, trace).summary().overloadSeconds())
        .isEqualTo(13.0);
  }

  @Test
  void aRemovedReplicaCostsUntilItsDrainIsOver() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.45\n5,0.05\n30,0.05\n");
    Summary quick = run(threshold(1, 2), EVERY_SECOND, HALF_CPU, trace).summary();
    Summary draining =
        run(threshold(1, 2), EVERY_SECOND, HALF_CPU.withDrain(Duration.ofSeconds(10)), trace)
            .summary();
    assertThat(quick.scaleEvents()).isEqualTo(2);
    assertThat(draining.containerSeconds() - quick.containerSeconds()).isEqualTo(10.0);
  }

  @Test
  void hpasPipelineSeesAStepLateAndAveraged() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n60,3\n120,3\n");
    Simulator.Result hpa = run(ScalingPolicy.of(Preset.HPA, 1, 12), Pipeline.HPA, HALF_CPU, trace);
    Simulator.Result ours = run(ScalingPolicy.of(Preset.HPA, 1, 12), EVERY_SECOND, HALF_CPU, trace);
    // One offset: scrapes 4.75 s before each sync (at 55.25, 70.25 and 85.25), syncs at 60, 75
    // and 90. The sync at 75 sees 55.25-70.25: 4.75 s at 60 % and 10.25 s pegged at 100 %, within
    // the tolerance of the 80 % target; the sync at 90 sees 100 %.
    assertThat(hpa.rows().get(5).reason()).startsWith("hold").contains("cpu 87.3%");
    assertThat(firstScaleUp(hpa)).isEqualTo(90.0);
    assertThat(firstScaleUp(ours)).isEqualTo(61.0);
  }

  @Test
  void servesRequestsAsAnMm1QueuePerReplicaWhileItKeepsUp() {
    // Two replicas of 50 requests/s each, 60 requests/s in all: 30 each, answered within 250 ms
    // with probability 1 - exp(-(50 - 30) * 0.25).
    Trace trace = Trace.parse("t", "t,demand\n0,0.6\n100,0.6\n");
    Summary s = run(fixed(2), EVERY_SECOND, HALF_CPU, trace).summary();
    assertThat(s.requests()).isCloseTo(6000, offset(1e-6));
    assertThat(s.sloShare()).isCloseTo(1 - Math.exp(-5), offset(1e-9));
    assertThat(s.failedShare()).isZero();
    // p95 of an exponential with rate 20: ln(20) / 20, within the grid's interpolation.
    assertThat(s.p95()).isCloseTo(Math.log(20) / 20, offset(0.004));
  }

  @Test
  void aboveCapacityRequestsQueueThenAreDroppedPastTheTimeout() {
    // 100 requests/s at one replica of 50/s, a 5 s timeout: the backlog fills in 5 s, then half of
    // the arrivals are dropped.
    Trace trace = Trace.parse("t", "t,demand\n0,1\n60,1\n");
    SimulatedService shortTimeout =
        HALF_CPU.withRequests(Duration.ofMillis(10), 1, Duration.ofSeconds(5));
    Summary s = run(fixed(1), EVERY_SECOND, shortTimeout, trace).summary();
    assertThat(s.failedShare()).isCloseTo(55 * 50 / 6000.0, offset(0.01));
    assertThat(s.sloShare()).isLessThan(0.05);
    // Behind 5 s of backlog, at the saturated queue's pace.
    assertThat(s.p95()).isBetween(5.0, 7.0);
    assertThat(s.sloShare() + s.failedShare()).isLessThanOrEqualTo(1.0 + 1e-9);
  }

  @Test
  void latencyNeverImprovesAsTheLoadRises() {
    double previous = 1;
    for (double load : new double[] {0.4, 0.45, 0.47, 0.48, 0.495, 0.5, 0.505, 0.55, 0.7}) {
      Trace trace = Trace.parse("t", "t,demand\n0," + load + "\n60," + load + "\n");
      double share = run(fixed(1), EVERY_SECOND, HALF_CPU, trace).summary().sloShare();
      assertThat(share).as("SLO share at " + load + " cores").isLessThanOrEqualTo(previous + 1e-9);
      previous = share;
    }
  }

  @Test
  void overOffsetsHpasReadingsAreOnAverageHalfAScrapeOld() {
    // A step at 100 s, decisions every 15 s: the first decision that sees the step, per offset.
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n100,3\n200,3\n");
    int offsets = 16;
    double lag = 0;
    for (int i = 0; i < offsets; i++) {
      Simulator.Result r =
          Simulator.run(
              "hpa",
              fixed(1),
              new Pipeline(
                  Duration.ofSeconds(15),
                  Duration.ofMillis(250),
                  Duration.ofSeconds(15),
                  false,
                  false),
              HALF_CPU,
              trace,
              new Simulator.Run(i, offsets, trace.end(), Duration.ofMillis(250), false));
      Simulator.Row seen =
          r.rows().stream()
              .filter(row -> row.reason().contains("cpu 100.0%"))
              .findFirst()
              .orElseThrow();
      lag += (seen.t() - 100) / offsets;
    }
    // Half a sync to the next decision, plus half a scrape period of age: 15 s in all.
    assertThat(lag).isCloseTo(15.0, offset(1.0));
  }

  @Test
  void withNoReplicaReadyEveryRequestFails() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.2\n10,0.2\n");
    Summary s = run(threshold(0, 2), EVERY_SECOND, HALF_CPU, trace).summary();
    assertThat(s.failedShare()).isGreaterThan(0.2);
  }

  @Test
  void decidesEverySyncAndRunsUntilBackAtTheMinimum() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n60,0.3\n");
    Simulator.Result r = run(ScalingPolicy.of(Preset.HPA, 1, 4), Pipeline.HPA, HALF_CPU, trace);
    assertThat(r.rows()).extracting(Simulator.Row::t).containsExactly(0.0, 15.0, 30.0, 45.0);
    assertThat(r.summary().containerSeconds()).isEqualTo(60.0);

    Trace drop = Trace.parse("t", "t,demand\n0,1.5\n60,0.1\n61,0.1\n");
    Simulator.Result holding =
        run(ScalingPolicy.of(Preset.HPA, 1, 12), Pipeline.HPA, HALF_CPU, drop);
    // HPA's 300 s scale-down window holds its replicas long after the trace ends.
    assertThat(holding.summary().end()).isGreaterThan(300);
  }

  @Test
  void aComparisonAveragesOffsetsAndChargesEveryPolicyTheSameTime() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n30,2\n90,0.3\n120,0.3\n");
    Comparison comparison = new Comparison(3, Duration.ofMillis(250), false);
    List<Contender> contenders =
        List.of(Baselines.hpa(1, 12), Baselines.dockscale(Duration.ofSeconds(1), 1, 12));
    List<Simulator.Result> results = comparison.run(contenders, HALF_CPU, trace);
    double end = results.get(0).summary().end();
    assertThat(results.get(1).summary().end()).isEqualTo(end);
    double mean = 0;
    for (int i = 0; i < 3; i++) {
      mean +=
          Simulator.run(
                      "hpa",
                      contenders.get(0).policy(),
                      Pipeline.HPA,
                      HALF_CPU,
                      trace,
                      new Simulator.Run(i, 3, end, Duration.ofMillis(250), false))
                  .summary()
                  .containerSeconds()
              / 3;
    }
    assertThat(results.get(0).summary().containerSeconds()).isCloseTo(mean, offset(1e-6));
  }

  @Test
  void writesTheDocumentedCsvHeader() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n2,0.3\n");
    String csv = Reports.csv(List.of(run(threshold(1, 4), EVERY_SECOND, HALF_CPU, trace)));
    assertThat(csv.lines().findFirst())
        .contains("policy,t,demand,replicas,ready,cpu_pct,desired,action,reason");
    assertThat(csv.lines().skip(2).findFirst().orElseThrow())
        .startsWith("p,1,0.3,1,1,60.0,1,hold,\"hold: cpu 60.0%");
  }

  @Test
  void readsMemoryWhenTheTraceHasIt() {
    Trace trace = Trace.parse("t", "t,demand,memory_mb\n0,0.1,230\n5,0.1,230\n");
    ScalingPolicy memory =
        new ScalingPolicy(
            "m",
            1,
            4,
            List.of(
                new MetricRule(Metric.MEMORY, new ThresholdStrategy(80, 30, Change.replicas(1)))),
            Behavior.none());
    Simulator.Result r = run(memory, EVERY_SECOND, HALF_CPU, trace);
    assertThat(r.rows().get(1).action()).isEqualTo("scale-up");
  }

  @Test
  void rejectsBrokenTracesNamingTheLine() {
    assertThatThrownBy(() -> Trace.parse("x", "time,load\n0,1\n"))
        .hasMessageContaining("x line 1: the header must be t,demand");
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n0,1\n5,NaN\n"))
        .hasMessageContaining("x line 3: demand must be a number from 0 to 1e9, got 'NaN'");
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n0,1\n0,2\n"))
        .hasMessageContaining("x line 3: t must increase");
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n5,1\n"))
        .hasMessageContaining("first row must be at t=0");
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n"))
        .hasMessageContaining("at least one row");
  }

  @Test
  void refusesImpossibleKnobs() {
    assertThatThrownBy(() -> HALF_CPU.withBurst(1.0, Duration.ofSeconds(1)))
        .hasMessageContaining("burst share must be from 0 to below 1");
    assertThatThrownBy(() -> HALF_CPU.withRequests(Duration.ZERO, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("request-cpu must be > 0");
    assertThatThrownBy(() -> HALF_CPU.withRequests(Duration.ofMillis(5), 0, Duration.ofSeconds(1)))
        .hasMessageContaining("workers must be from 1");
    assertThatThrownBy(() -> new Comparison(0, Duration.ofMillis(250), false))
        .hasMessageContaining("offsets must be from 1 to 64");
  }

  @Test
  void reportIsStandaloneWithTheChartLibraryInline() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n2,0.3\n");
    String html =
        Reports.html(trace, 0.5, List.of(run(threshold(1, 4), EVERY_SECOND, HALF_CPU, trace)));
    assertThat(html).contains("echarts").contains("draw('chart0'").doesNotContain("src=\"http");
  }
}
