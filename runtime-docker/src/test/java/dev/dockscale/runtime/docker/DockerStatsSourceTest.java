package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Statistics;
import org.junit.jupiter.api.Test;

/** CPU and memory as docker stats computes them, from Engine API samples (cgroup v1 and v2). */
class DockerStatsSourceTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static Statistics sample(String json) throws Exception {
    return JSON.readValue(json, Statistics.class);
  }

  @Test
  void cpuIsTheContainersShareOfSystemTimeTimesOnlineCpus() throws Exception {
    // 0.25 s of CPU while the 2-CPU system counted 1 s per CPU: a quarter of a core.
    Statistics s =
        sample(
            """
        {"cpu_stats": {"cpu_usage": {"total_usage": 1250000000}, "system_cpu_usage": 12000000000, "online_cpus": 2},
         "precpu_stats": {"cpu_usage": {"total_usage": 1000000000}, "system_cpu_usage": 10000000000}}
        """);
    assertThat(DockerStatsSource.cores(s)).hasValue(0.25);
  }

  @Test
  void theFirstSampleOfAStreamHasNoCpuFigure() throws Exception {
    Statistics s =
        sample(
            """
        {"cpu_stats": {"cpu_usage": {"total_usage": 1250000000}, "system_cpu_usage": 12000000000, "online_cpus": 2},
         "precpu_stats": {"cpu_usage": {"total_usage": 0}, "system_cpu_usage": 0}}
        """);
    assertThat(DockerStatsSource.cores(s)).isEmpty();
  }

  @Test
  void memoryLeavesOutInactivePageCache() throws Exception {
    Statistics v1 =
        sample(
            """
        {"memory_stats": {"usage": 100000000, "limit": 268435456, "stats": {"total_inactive_file": 30000000, "cache": 40000000}}}
        """);
    Statistics v2 =
        sample(
            """
        {"memory_stats": {"usage": 100000000, "limit": 268435456, "stats": {"inactive_file": 20000000}}}
        """);
    assertThat(DockerStatsSource.memory(v1)).isEqualTo(70_000_000L);
    assertThat(DockerStatsSource.memory(v2)).isEqualTo(80_000_000L);
  }
}
