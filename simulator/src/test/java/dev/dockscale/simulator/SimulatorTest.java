package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  private static final SimulatedService HALF_CPU =
      new SimulatedService(0.5, 256, Duration.ofSeconds(2));

  /** CPU thresholds 70 / 20, one replica at a time, nothing else. */
  private static ScalingPolicy threshold(int min, int max) {
    return new ScalingPolicy(
        "c",
        min,
        max,
        List.of(new MetricRule(Metric.CPU, new ThresholdStrategy(70, 20, Change.replicas(1)))),
        Behavior.none());
  }

  private static Simulator.Result classic(Trace trace) {
    return Simulator.run(
        "classic", ScalingPolicy.of(Preset.CLASSIC, 1, 4), Duration.ofSeconds(1), HALF_CPU, trace);
  }

  private static ScalingPolicy fixed(int replicas) {
    return threshold(replicas, replicas);
  }

  @Test
  void countsOverloadAndUnservedWorkAboveReadyCapacity() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.5\n10,0.8\n20,0.8\n");
    Summary s = Simulator.run("fixed", fixed(1), Duration.ofSeconds(1), HALF_CPU, trace).summary();
    assertThat(s.containerSeconds()).isEqualTo(20.0);
    assertThat(s.overloadSeconds()).isEqualTo(10.0);
    assertThat(s.unservedCoreSeconds()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.scaleEvents()).isZero();
  }

  @Test
  void aNewReplicaServesOnlyAfterItsStartupTime() {
    ScalingPolicy classic = threshold(1, 4);
    Trace trace = Trace.parse("t", "t,demand\n0,0.8\n10,0.8\n");
    Simulator.Result r = Simulator.run("c", classic, Duration.ofSeconds(1), HALF_CPU, trace);
    // Scaled at t=0, ready at t=2: two overloaded seconds, and 0.8 cores over 2 x 0.5 is 80 %.
    assertThat(r.summary().overloadSeconds()).isEqualTo(2.0);
    assertThat(r.rows().get(0).action()).isEqualTo("scale-up");
    assertThat(r.rows().get(1).ready()).isEqualTo(1);
    assertThat(r.rows().get(2).ready()).isEqualTo(2);
    assertThat(r.rows().get(2).cpuPct()).isEqualTo(80.0);
  }

  @Test
  void countsDirectionChanges() {
    ScalingPolicy classic = threshold(1, 4);
    Trace trace = Trace.parse("t", "t,demand\n0,0.45\n5,0.05\n10,0.45\n15,0.45\n");
    Summary s = Simulator.run("c", classic, Duration.ofSeconds(1), HALF_CPU, trace).summary();
    assertThat(s.scaleEvents()).isGreaterThanOrEqualTo(3);
    assertThat(s.directionChanges()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void decidesEveryIntervalButAccountsEverySecond() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n60,0.3\n");
    Simulator.Result r =
        Simulator.run(
            "hpa", ScalingPolicy.of(Preset.HPA, 1, 4), Duration.ofSeconds(15), HALF_CPU, trace);
    assertThat(r.rows()).extracting(Simulator.Row::t).containsExactly(0.0, 15.0, 30.0, 45.0, 60.0);
    assertThat(r.summary().containerSeconds()).isEqualTo(60.0);
  }

  @Test
  void writesTheDocumentedCsvHeader() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n2,0.3\n");
    String csv = Reports.csv(List.of(classic(trace)));
    assertThat(csv.lines().findFirst())
        .contains("policy,t,demand,replicas,ready,cpu_pct,desired,action,reason");
    assertThat(csv.lines().skip(1).findFirst().orElseThrow())
        .startsWith("classic,0,0.3,1,1,60.0,1,hold,\"hold: cpu 60.0%");
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
    Simulator.Result r = Simulator.run("m", memory, Duration.ofSeconds(1), HALF_CPU, trace);
    assertThat(r.rows().get(0).action()).isEqualTo("scale-up");
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
  void reportIsStandaloneWithTheChartLibraryInline() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n2,0.3\n");
    String html = Reports.html(trace, 0.5, List.of(classic(trace)));
    assertThat(html).contains("echarts").contains("draw('chart0'").doesNotContain("src=\"http");
  }
}
