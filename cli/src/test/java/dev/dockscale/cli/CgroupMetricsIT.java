package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dockscale.engine.Labels;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.runtime.docker.CgroupMetricsSource;
import dev.dockscale.runtime.docker.DockerStatsSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cgroup reader against the Engine's stats stream on this machine's real cgroup tree: over
 * about ten seconds of load, each replica's average CPU and memory agree within a few points.
 */
class CgroupMetricsIT extends DockerIT {

  @Test
  void cgroupReadingsAgreeWithTheEnginesStatsWithinAFewPoints() {
    project =
        ItProject.create(
            "cgroup", ItProject.service(2, 2, "preset: classic\ncpu: { up: 99, down: 1 }\n"));
    project.startServing(2);
    project.stopLoop();
    List<MeasuredReplica> replicas =
        project
            .stack
            .docker()
            .listContainersCmd()
            .withLabelFilter(
                Map.of(Labels.PROJECT, project.project, Labels.ROLE, Labels.ROLE_REPLICA))
            .exec()
            .stream()
            .map(c -> new MeasuredReplica(c.getId(), 0.5, 256L << 20))
            .toList();
    assertThat(replicas).hasSize(2);
    MetricsSource noFallback =
        new MetricsSource() {
          @Override
          public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> asked) {
            assertThat(asked).as("replicas the cgroup tree did not have").isEmpty();
            return Map.of();
          }

          @Override
          public void close() {}
        };
    Map<String, List<Double>> statsCpu = new HashMap<>();
    Map<String, List<Double>> cgroupCpu = new HashMap<>();
    Map<String, List<Double>> statsMem = new HashMap<>();
    Map<String, List<Double>> cgroupMem = new HashMap<>();
    try (DockerStatsSource stats =
            new DockerStatsSource(project.stack.docker(), Clock.systemUTC());
        MetricsSource cgroup =
            new CgroupMetricsSource(Path.of("/sys/fs/cgroup"), Clock.systemUTC(), noFallback);
        LoadGenerator load =
            new LoadGenerator(
                    project.url("/cpu?ms=30"), 3, () -> 3, Duration.ofSeconds(60), 1_000_000)
                .start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stats.read(replicas).size() == 2 && cgroup.read(replicas).size() == 2);
      for (int i = 0; i < 12; i++) {
        project.awaitTimeOrTicks(Duration.ofSeconds(1));
        collect(stats.read(replicas), statsCpu, statsMem);
        collect(cgroup.read(replicas), cgroupCpu, cgroupMem);
      }
    }
    for (MeasuredReplica r : replicas) {
      double s = mean(statsCpu.get(r.id()));
      double c = mean(cgroupCpu.get(r.id()));
      double sm = mean(statsMem.get(r.id()));
      double cm = mean(cgroupMem.get(r.id()));
      System.out.printf(
          "[figure] replica %s under load: CPU stats stream %.1f %% vs cgroup %.1f %%; memory %.1f %% vs %.1f %%%n",
          r.id().substring(0, 12), s, c, sm, cm);
      assertThat(s).as("the load shows").isGreaterThan(10);
      assertThat(c).as("mean CPU %% of the limit, cgroup vs stats").isCloseTo(s, within(5.0));
      assertThat(cm).as("mean memory %% of the limit, cgroup vs stats").isCloseTo(sm, within(2.0));
    }
  }

  private static void collect(
      Map<String, ReplicaMetrics> readings,
      Map<String, List<Double>> cpu,
      Map<String, List<Double>> mem) {
    readings.forEach(
        (id, m) -> {
          m.get(Metric.CPU).ifPresent(v -> cpu.computeIfAbsent(id, k -> new ArrayList<>()).add(v));
          m.get(Metric.MEMORY)
              .ifPresent(v -> mem.computeIfAbsent(id, k -> new ArrayList<>()).add(v));
        });
  }

  private static double mean(List<Double> values) {
    assertThat(values).isNotNull().hasSizeGreaterThanOrEqualTo(8);
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
