package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.DockscaleConfig.MetricsSpec;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code metrics}: the cgroup tree by default, or a Prometheus server. */
class MetricsConfigTest {

  private static final String SERVICES =
      "services:\n  web:\n    image: app:1\n    replicas: { min: 1, max: 4 }\n";

  private static DockscaleConfig parse(String more) {
    return ConfigLoader.parse("t.yml", SERVICES + more);
  }

  private static String problems(String more) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigException.class, () -> parse(more))
        .getMessage();
  }

  @Test
  void theCgroupTreeByDefault() {
    assertThat(parse("").metrics()).isEqualTo(MetricsSpec.CGROUPS);
    assertThat(parse("metrics: { source: cgroups }\n").metrics().fromPrometheus()).isFalse();
  }

  @Test
  void aPrometheusServerWithItsWindowAndStalenessAPathKeptAsItsPrefix() {
    MetricsSpec m =
        parse(
                "metrics:\n  source: prometheus\n  prometheus: http://127.0.0.1:9090\n"
                    + "  window: 5s\n  stale-after: 20s\n")
            .metrics();
    assertThat(m.prometheus()).isEqualTo(URI.create("http://127.0.0.1:9090/"));
    assertThat(m.window()).isEqualTo(Duration.ofSeconds(5));
    assertThat(m.staleAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(
            parse("metrics: { source: prometheus, prometheus: 'https://mon.example/prom' }\n")
                .metrics()
                .prometheus())
        .isEqualTo(URI.create("https://mon.example/prom/"));
  }

  @Test
  void namesTheLineFieldAndFixOfBadMetricsSettings() {
    assertThat(problems("metrics: { source: prom }\n"))
        .contains(
            "line 5: metrics.source: must be 'cgroups' (the default), 'prometheus' or 'agents', got 'prom'");
    assertThat(problems("metrics: { source: prometheus }\n"))
        .contains("metrics: 'source: prometheus' needs the server's URL")
        .contains("prometheus: http://127.0.0.1:9090");
    assertThat(problems("metrics: { prometheus: 'http://127.0.0.1:9090' }\n"))
        .contains("metrics.prometheus: is read only with 'source: prometheus'");
    assertThat(problems("metrics: { source: prometheus, prometheus: 'ftp://h:9090' }\n"))
        .contains("metrics.prometheus: 'ftp://h:9090' must start with http:// or https://");
    assertThat(problems("metrics: { source: prometheus, prometheus: 'http://u:p@h:9090' }\n"))
        .contains("must not carry credentials");
    assertThat(problems("metrics: { source: prometheus, prometheus: 'http://h:9090/?x=1' }\n"))
        .contains("must have no query");
    assertThat(problems("metrics: { source: prometheus, prometheus: 'http://h 1' }\n"))
        .contains("is not a URL");
    assertThat(
            problems("metrics: { source: prometheus, prometheus: 'http://h:9090', window: 1s }\n"))
        .contains("metrics.window: must be from 2s to 10m, got 1s");
    assertThat(problems("metrics: { source: prometheus, url: x }\n")).contains("unknown key 'url'");
  }

  @Test
  void theAgentsScrapedDirectly() {
    MetricsSpec m =
        parse(
                "metrics:\n  source: agents\n  agents: [\"http://10.0.0.5:9338\", \"http://node-2:9338\"]\n  stale-after: 5s\n")
            .metrics();
    assertThat(m.fromAgents()).isTrue();
    assertThat(m.fromPrometheus()).isFalse();
    assertThat(m.agents())
        .containsExactly(URI.create("http://10.0.0.5:9338/"), URI.create("http://node-2:9338/"));
    assertThat(m.staleAfter()).hasSeconds(5);
  }

  @Test
  void namesTheFieldAndFixOfBadAgentSettings() {
    assertThat(problems("metrics: { source: agents }\n"))
        .contains("metrics.agents: 'source: agents' needs every node's agent");
    assertThat(problems("metrics: { source: agents, agents: [\"ftp://h:9338\"] }\n"))
        .contains("metrics.agents[0]: 'ftp://h:9338' must start with http:// or https://")
        .contains("an agent's base URL");
    assertThat(problems("metrics: { source: agents, agents: [\"http://h:9338\"], window: 5s }\n"))
        .contains("metrics.window: is read only with 'source: prometheus'");
    assertThat(problems("metrics: { agents: [\"http://h:9338\"] }\n"))
        .contains("metrics.agents: is read only with 'source: agents'");
  }
}
