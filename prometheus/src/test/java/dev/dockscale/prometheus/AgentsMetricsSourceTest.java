package dev.dockscale.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.MetricsSource.Trouble;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.runtime.docker.CgroupReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents scraped directly, in the protobuf format: a real agent server over a cgroup tree on disk.
 */
class AgentsMetricsSourceTest {

  private static final String WEB = "a".repeat(64);

  @TempDir Path root;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T07:00:00Z"));
  private final List<MeasuredReplica> web =
      List.of(new MeasuredReplica(WEB, 0.5, 100L << 20, "web", "10.0.1.5"));
  private CgroupReader reader;
  private AgentServer server;
  private int port;

  @BeforeEach
  void agent() throws Exception {
    ContainerExporterTest.counters(root, WEB, 1_000_000_000L, 50L << 20, 10L << 20);
    reader = CgroupReader.forRoot(root).orElseThrow();
    ContainerExporter.Containers engine =
        new ContainerExporter.Containers() {
          @Override
          public Optional<ContainerExporter.Container> describe(String id) {
            return Optional.of(
                new ContainerExporter.Container(id, "shop-web.1.x", "app:1", Map.of()));
          }

          @Override
          public void retainOnly(Collection<String> ids) {}
        };
    server = new AgentServer(new ContainerExporter(engine, reader, List.of()));
    port = server.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    reader.close();
  }

  private AgentsMetricsSource source(URI... agents) {
    return new AgentsMetricsSource(List.of(agents), Duration.ofSeconds(15), clock);
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void cpuIsTheCountersRateBetweenTwoScrapesAndMemoryTheWorkingSet() throws Exception {
    try (AgentsMetricsSource source = source(URI.create("http://127.0.0.1:" + port))) {
      source.poll();
      ReplicaMetrics first = source.read(web).get(WEB);
      assertThat(first.get(Metric.MEMORY)).hasValue(40.0);
      assertThat(first.get(Metric.CPU)).as("one scrape: no rate yet").isEmpty();
      assertThat(source.troubles()).as("a new series: not yet a trouble").isEmpty();

      ContainerExporterTest.counters(root, WEB, 1_250_000_000L, 50L << 20, 10L << 20);
      clock.advance(Duration.ofSeconds(1));
      source.poll();
      // 0.25 s of CPU in 1 s, against a limit of 0.5 CPU.
      assertThat(source.read(web).get(WEB).get(Metric.CPU)).hasValue(50.0);
      assertThat(source.troubles()).isEmpty();
    }
  }

  @Test
  void anAgentThatDoesNotAnswerIsNamedAndItsSeriesAgeOut() throws Exception {
    URI gone = URI.create("http://127.0.0.1:" + closedPort());
    try (AgentsMetricsSource source = source(URI.create("http://127.0.0.1:" + port), gone)) {
      source.poll();
      assertThat(source.troubles())
          .extracting(Trouble::why)
          .anyMatch(w -> w.contains("did not answer") && w.contains(gone.toString()));
      server.close();
      clock.advance(Duration.ofSeconds(16));
      source.poll();
      assertThat(source.read(web)).isEmpty();
      assertThat(source.troubles())
          .extracting(Trouble::why)
          .anyMatch(w -> w.contains("more than stale-after 15 s"));
    }
  }
}
