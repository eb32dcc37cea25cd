package dev.dockscale.config;

import static dev.dockscale.config.YamlReadingTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceReaderTest {

  /** A valid service named web, with {@code extra} (indented by four spaces) added to it. */
  static String web(String extra) {
    return "services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n" + extra;
  }

  @Test
  void fillsTheThreeEnvTemplatesPerReplica() {
    ServiceSpec web =
        ConfigLoader.parse(
                "t.yml", web("    env: { ID: \"{{service}}-{{index}}\", HOST: \"{{name}}\" }\n"))
            .services()
            .get("web");
    assertThat(web.envFor("p-web-2", 2))
        .containsEntry("ID", "web-2")
        .containsEntry("HOST", "p-web-2");
  }

  @Test
  void refusesAnUnknownEnvTemplateWithADidYouMean() {
    ConfigException e =
        problems(web("    env:\n      A: \"{{nmae}}\"\n      B: \"x-{{ index }}\"\n"));
    assertThat(e.getMessage())
        .contains("line 6: services.web.env.A: unknown template {{nmae}} (did you mean {{name}}?)")
        .contains("the templates are {{name}}")
        .contains(
            "line 7: services.web.env.B: unknown template {{ index }} (did you mean {{index}}?)");
  }

  @Test
  void refusesAnEnvTemplateFarFromAnyKnownOneWithoutAGuess() {
    ConfigException e = problems(web("    env: { A: \"{{hostname}}\" }\n"));
    assertThat(e.getMessage())
        .contains("unknown template {{hostname}}; the templates are")
        .doesNotContain("did you mean");
  }

  @Test
  void refusesAMemorySizeThatOverflowsALongInsteadOfClampingIt() {
    ConfigException e = problems(web("    resources: { memory: 99999999999999g }\n"));
    assertThat(e.getMessage())
        .contains(
            "line 5: services.web.resources.memory: '99999999999999g' is more bytes than a size can hold");
  }

  @Test
  void refusesMoreThanATerabyteOfMemoryPerReplica() {
    ConfigException e = problems(web("    resources: { memory: 2t }\n"));
    assertThat(e.getMessage())
        .contains("services.web.resources.memory: must be at most 1t per replica, got 2t");
  }

  @Test
  void boundsTheServicesDurationsAndSaysTheBounds() {
    ConfigException e =
        problems(
            web(
                """
                    health: { interval: 10m, timeout: 1ms, start-period: 2h, replace-after: 1e30s }
                    drain: 11m
                    stop-timeout: 1d
                    startup: 2h
                """));
    assertThat(e.getMessage())
        .contains("services.web.health.interval: must be from 100ms to 5m, got 10m")
        .contains("services.web.health.timeout: must be from 10ms to 1m, got 1ms")
        .contains("services.web.health.start-period: must be from 0s to 1h, got 2h")
        .contains("services.web.health.replace-after: must be from 0s to 1h, got 1e30s")
        .contains("services.web.drain: must be from 0s to 10m, got 11m")
        .contains("services.web.stop-timeout: '1d' is not a duration")
        .contains("services.web.startup: must be from 0s to 1h, got 2h");
  }

  @Test
  void readsBatchWaitAndMaxReplacingWithTheirDefaults() {
    ServiceSpec plain = ConfigLoader.parse("t.yml", web("")).services().get("web");
    assertThat(plain.batchWait()).hasSeconds(1);
    assertThat(plain.health().maxReplacing()).hasToString("25%");
    ServiceSpec set =
        ConfigLoader.parse("t.yml", web("    batch-wait: 0s\n    health: { max-replacing: 3 }\n"))
            .services()
            .get("web");
    assertThat(set.batchWait()).isZero();
    assertThat(set.health().maxReplacing().replicasFrom(100)).isEqualTo(3);
  }

  @Test
  void refusesABadBatchWaitOrMaxReplacingSayingWhatFits() {
    ConfigException e = problems(web("    batch-wait: 2m\n    health: { max-replacing: lots }\n"));
    assertThat(e.getMessage())
        .contains("line 5: services.web.batch-wait: must be from 0s to 1m, got 2m")
        .contains(
            "line 6: services.web.health.max-replacing: 'lots' is not how many replicas may be"
                + " replaced at once: write a whole number from 1 to 1000 (2) or a share from 1% to"
                + " 100% (25%)");
    assertThat(problems(web("    health: { max-replacing: 150% }\n")).getMessage())
        .contains("'150%' is not how many replicas may be replaced at once");
    assertThat(problems(web("    health: { max-replacing: 0.5% }\n")).getMessage())
        .contains("'0.5%' is not how many replicas may be replaced at once");
    assertThat(problems(web("    health: { max-replacing: 0 }\n")).getMessage())
        .contains("'0' is not how many replicas may be replaced at once");
  }
}
