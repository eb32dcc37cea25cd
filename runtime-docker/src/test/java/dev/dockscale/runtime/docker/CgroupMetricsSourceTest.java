package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.runtime.docker.CgroupFixture.Layout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** CPU and memory from cgroup files laid out as Docker does on cgroup v1 and v2. */
class CgroupMetricsSourceTest {

  private static final String A = "aaaa0001";
  private static final String B = "bbbb0002";
  private static final long MB = 1_000_000;

  /** Half a core and 200 MB. */
  private static final MeasuredReplica REPLICA_A = new MeasuredReplica(A, 0.5, 200 * MB);

  private static final MeasuredReplica REPLICA_B = new MeasuredReplica(B, 0.5, 200 * MB);

  @TempDir Path root;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeFallback fallback = new FakeFallback();

  private Map<String, ReplicaMetrics> readAfter(
      CgroupMetricsSource source, Duration wait, MeasuredReplica... replicas) {
    clock.advance(wait);
    return source.read(List.of(replicas));
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void cpuIsTheUsageGrowthOverWallClockTimeInPercentOfTheLimit(Layout layout) {
    CgroupFixture cgroups = new CgroupFixture(root, layout);
    cgroups.set(A, 1_000_000_000, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));

    // 0.25 s of CPU over 1 s is a quarter of a core: half of a 0.5 limit.
    cgroups.set(A, 1_250_000_000, 100 * MB, 0);
    ReplicaMetrics a = readAfter(source, Duration.ofSeconds(1), REPLICA_A).get(A);

    assertThat(a.get(Metric.CPU)).hasValueCloseTo(50.0, within(1e-9));
    assertThat(a.sampledAt()).isEqualTo(clock.instant());
    assertThat(fallback.asked).containsOnly(List.of());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void memoryIsUsageLessInactivePageCacheInPercentOfTheLimit(Layout layout) {
    new CgroupFixture(root, layout).set(A, 1_000_000_000, 100 * MB, 30 * MB);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);

    ReplicaMetrics a = source.read(List.of(REPLICA_A)).get(A);

    assertThat(a.get(Metric.MEMORY)).hasValueCloseTo(35.0, within(1e-9));
  }

  @Test
  void memoryIsReadAtMostOnceASecondWhileCpuIsReadAtEveryCall() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V1_CGROUPFS);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));

    cgroups.set(A, 250_000_000, 150 * MB, 0);
    ReplicaMetrics quarter = readAfter(source, Duration.ofMillis(500), REPLICA_A).get(A);
    cgroups.set(A, 500_000_000, 150 * MB, 0);
    ReplicaMetrics second = readAfter(source, Duration.ofMillis(500), REPLICA_A).get(A);

    assertThat(quarter.get(Metric.CPU)).hasValueCloseTo(100.0, within(1e-9));
    assertThat(quarter.get(Metric.MEMORY)).hasValueCloseTo(50.0, within(1e-9));
    assertThat(second.get(Metric.MEMORY)).hasValueCloseTo(75.0, within(1e-9));
  }

  @Test
  void aReplicaReadsMemoryButNoCpuUntilItHasASampleHalfASecondOld() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V1_CGROUPFS);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);

    ReplicaMetrics first = source.read(List.of(REPLICA_A)).get(A);
    cgroups.set(A, 100_000_000, 100 * MB, 0);
    ReplicaMetrics soon = readAfter(source, Duration.ofMillis(400), REPLICA_A).get(A);
    cgroups.set(A, 125_000_000, 100 * MB, 0);
    ReplicaMetrics halfASecond = readAfter(source, Duration.ofMillis(100), REPLICA_A).get(A);

    assertThat(first.readings()).containsOnlyKeys(Metric.MEMORY);
    assertThat(soon.readings()).containsOnlyKeys(Metric.MEMORY);
    assertThat(halfASecond.get(Metric.CPU)).hasValueCloseTo(50.0, within(1e-9));
  }

  @Test
  void aReadSoonAfterAnotherMeasuresHalfASecondOrMoreNotTheSliverBetween() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V1_CGROUPFS);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));
    cgroups.set(A, 250_000_000, 100 * MB, 0);
    readAfter(source, Duration.ofSeconds(1), REPLICA_A);

    // A burst: 0.1 s of CPU in the 0.1 s since the tick would read 200 %.
    cgroups.set(A, 350_000_000, 100 * MB, 0);
    ReplicaMetrics repair = readAfter(source, Duration.ofMillis(100), REPLICA_A).get(A);

    assertThat(repair.get(Metric.CPU)).hasValueCloseTo(0.35 / 1.1 / 0.5 * 100, within(1e-9));
  }

  @Test
  void cpuIsMeasuredAgainstTheNewestSampleAtLeastHalfASecondOld() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V2_SYSTEMD);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));
    cgroups.set(A, 500_000_000, 100 * MB, 0);
    readAfter(source, Duration.ofMillis(1000), REPLICA_A);
    readAfter(source, Duration.ofMillis(200), REPLICA_A);

    // Against the sample 0.5 s old: 0.25 s over 0.5 s. (0.7 s old: 71 %; the first: 88 %.)
    cgroups.set(A, 750_000_000, 100 * MB, 0);
    ReplicaMetrics a = readAfter(source, Duration.ofMillis(500), REPLICA_A).get(A);

    assertThat(a.get(Metric.CPU)).hasValueCloseTo(100.0, within(1e-9));
  }

  @Test
  void aCounterThatGoesBackStartsTheReplicaOverAsARestartedContainer() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V1_SYSTEMD);
    cgroups.set(A, 5_000_000_000L, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));
    cgroups.set(A, 5_250_000_000L, 100 * MB, 0);
    readAfter(source, Duration.ofSeconds(1), REPLICA_A);

    cgroups.set(A, 100_000_000, 20 * MB, 0);
    ReplicaMetrics restarted = readAfter(source, Duration.ofSeconds(1), REPLICA_A).get(A);
    cgroups.set(A, 350_000_000, 20 * MB, 0);
    ReplicaMetrics after = readAfter(source, Duration.ofSeconds(1), REPLICA_A).get(A);

    assertThat(restarted.readings()).containsOnlyKeys(Metric.MEMORY);
    assertThat(restarted.get(Metric.MEMORY)).hasValueCloseTo(10.0, within(1e-9));
    assertThat(after.get(Metric.CPU)).hasValueCloseTo(50.0, within(1e-9));
  }

  @Test
  void aReplicaWithoutAMemoryLimitReadsCpuOnly() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V2_CGROUPFS);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    MeasuredReplica unlimited = new MeasuredReplica(A, 0.5, 0);

    Map<String, ReplicaMetrics> first = source.read(List.of(unlimited));
    cgroups.set(A, 250_000_000, 100 * MB, 0);
    ReplicaMetrics second = readAfter(source, Duration.ofSeconds(1), unlimited).get(A);

    assertThat(first).isEmpty();
    assertThat(second.readings()).containsOnlyKeys(Metric.CPU);
  }

  @ParameterizedTest
  @CsvSource({
    "V1_CGROUPFS, cpuacct.usage, not a number",
    "V1_CGROUPFS, memory.usage_in_bytes, ''",
    "V1_CGROUPFS, memory.stat, cache 4096",
    "V2_SYSTEMD, cpu.stat, user_usec 5",
    "V2_SYSTEMD, cpu.stat, usage_usec -5",
    "V2_SYSTEMD, memory.current, max",
    "V2_SYSTEMD, memory.stat, inactive_file lots",
  })
  void aMalformedFileLeavesOnlyItsReplicaUnsampled(Layout layout, String file, String content) {
    CgroupFixture cgroups = new CgroupFixture(root, layout);
    cgroups.set(A, 0, 100 * MB, 0);
    cgroups.set(B, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A, REPLICA_B));
    cgroups.set(A, 250_000_000, 100 * MB, 0);
    cgroups.set(B, 250_000_000, 100 * MB, 0);

    CgroupFixture.write(cgroups.file(A, file), content);
    Map<String, ReplicaMetrics> read =
        readAfter(source, Duration.ofSeconds(1), REPLICA_A, REPLICA_B);

    assertThat(read).containsOnlyKeys(B);
    assertThat(read.get(B).get(Metric.CPU)).hasValueCloseTo(50.0, within(1e-9));
    assertThat(fallback.asked).containsOnly(List.of());
  }

  @Test
  void replicasWithoutACgroupAreReadFromTheFallbackAndOnlyThey() {
    new CgroupFixture(root, Layout.V1_CGROUPFS).set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);

    Map<String, ReplicaMetrics> read = source.read(List.of(REPLICA_A, REPLICA_B));

    assertThat(fallback.asked).containsExactly(List.of(B));
    assertThat(read.get(B)).isEqualTo(fallback.reading(B));
    assertThat(read.get(A).get(Metric.MEMORY)).hasValueCloseTo(50.0, within(1e-9));
  }

  @Test
  void theFallbackIsAskedEvenAboutNoReplicasSoItLetsGoOfThoseItServed() {
    new CgroupFixture(root, Layout.V1_CGROUPFS).set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);

    source.read(List.of(REPLICA_A, REPLICA_B));
    readAfter(source, Duration.ofSeconds(1), REPLICA_A);

    assertThat(fallback.asked).containsExactly(List.of(B), List.of());
  }

  @Test
  void aFailingFallbackLeavesTheCgroupReadingsStanding() {
    new CgroupFixture(root, Layout.V1_CGROUPFS).set(A, 0, 100 * MB, 0);
    fallback.failing = true;
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);

    Map<String, ReplicaMetrics> read = source.read(List.of(REPLICA_A, REPLICA_B));

    assertThat(read).containsOnlyKeys(A);
  }

  @Test
  void aReplicaAskedAboutWithinTenSecondsKeepsItsHistory() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V1_CGROUPFS);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));

    readAfter(source, Duration.ofMillis(9_900));
    cgroups.set(A, 2_500_000_000L, 100 * MB, 0);
    ReplicaMetrics a = readAfter(source, Duration.ofMillis(100), REPLICA_A).get(A);

    assertThat(a.get(Metric.CPU)).hasValueCloseTo(50.0, within(1e-9));
  }

  @Test
  void aReplicaNotAskedAboutForTenSecondsIsForgotten() {
    CgroupFixture cgroups = new CgroupFixture(root, Layout.V1_CGROUPFS);
    cgroups.set(A, 0, 100 * MB, 0);
    CgroupMetricsSource source = new CgroupMetricsSource(root, clock, fallback);
    source.read(List.of(REPLICA_A));

    readAfter(source, Duration.ofMillis(10_100));
    cgroups.set(A, 2_500_000_000L, 100 * MB, 0);
    ReplicaMetrics a = readAfter(source, Duration.ofMillis(100), REPLICA_A).get(A);

    assertThat(a.readings()).containsOnlyKeys(Metric.MEMORY);
  }

  @Test
  void onAHostWithoutACgroupTreeTheFallbackServesAlone() {
    assertThat(CgroupMetricsSource.forRoot(root.resolve("absent"), clock, fallback))
        .isSameAs(fallback);
    assertThat(CgroupMetricsSource.forRoot(root, clock, fallback))
        .isInstanceOf(CgroupMetricsSource.class);
  }

  @Test
  void closingClosesTheFallback() {
    new CgroupMetricsSource(root, clock, fallback).close();

    assertThat(fallback.closed).isTrue();
  }

  /** Records whom it is asked about, and answers for each with a fixed reading. */
  private static final class FakeFallback implements MetricsSource {
    final List<List<String>> asked = new ArrayList<>();
    boolean failing;
    boolean closed;

    ReplicaMetrics reading(String id) {
      return new ReplicaMetrics(id, Instant.EPOCH, Map.of(Metric.CPU, 42.0));
    }

    @Override
    public Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
      asked.add(replicas.stream().map(MeasuredReplica::id).toList());
      if (failing) {
        throw new IllegalStateException("the engine is gone");
      }
      Map<String, ReplicaMetrics> result = new HashMap<>();
      replicas.forEach(r -> result.put(r.id(), reading(r.id())));
      return result;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
