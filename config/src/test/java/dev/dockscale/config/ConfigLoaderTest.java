package dev.dockscale.config;

import static dev.dockscale.config.YamlReadingTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.StepStrategy;
import dev.dockscale.policy.TargetStrategy;
import dev.dockscale.policy.ThresholdStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  static final String FULL =
      """
      interval: 1s
      services:
        web:
          image: dockscale/sample-backend:latest
          port: 8000
          env: { SERVER_NAME: "{{name}}" }
          resources: { cpus: 0.5, memory: 256m, cpuset: "0" }
          health: { path: /health }
          replicas: { min: 1, max: 4 }
          scale:
            cpu:    { up: 70, down: 20 }
            memory: { up: 80, down: 30 }
            cooldown: { up: 5s, down: 30s }
          drain: 10s
      balancer:
        listen: 127.0.0.1:8080
      """;

  @Test
  void readsTheDocumentedExample() {
    DockscaleConfig c = ConfigLoader.parse("test.yml", FULL);
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.project()).isEqualTo("dockscale");
    assertThat(c.balancer().listen()).isEqualTo("127.0.0.1:8080");
    ServiceSpec web = c.services().get("web");
    assertThat(web.image()).isEqualTo("dockscale/sample-backend:latest");
    assertThat(web.resources().cpus()).isEqualTo(0.5);
    assertThat(web.resources().memoryBytes()).isEqualTo(256L << 20);
    assertThat(web.resources().cpuset()).isEqualTo("0");
    assertThat(web.drain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(web.policy().min()).isEqualTo(1);
    assertThat(web.policy().max()).isEqualTo(4);
    assertThat(web.policy().rules()).hasSize(2);
    assertThat(web.policy().rules().get(0).metric()).isEqualTo(Metric.CPU);
    assertThat(web.policy().rules().get(0).strategy())
        .isEqualTo(new ThresholdStrategy(70, 20, dev.dockscale.policy.Change.replicas(1)));
    assertThat(web.policy().behavior().upCooldown()).isEqualTo(Duration.ofSeconds(5));
    assertThat(web.policy().behavior().downCooldown()).isEqualTo(Duration.ofSeconds(30));
    assertThat(web.envFor("dockscale-web-3", 3)).containsEntry("SERVER_NAME", "dockscale-web-3");
  }

  @Test
  void everyKeyButImageAndReplicasHasADefault() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml", "services:\n  web:\n    image: app:1\n    replicas: { max: 3 }\n");
    ServiceSpec web = c.services().get("web");
    assertThat(web.port()).isEqualTo(8000);
    assertThat(web.health().path()).isEqualTo("/");
    assertThat(web.policy().min()).isEqualTo(1);
    assertThat(web.policy().name()).isEqualTo("dockscale");
    assertThat(web.policy().rules()).isEqualTo(Preset.DOCKSCALE.rules());
    assertThat(c.balancer().listen()).isEqualTo("127.0.0.1:8080");
  }

  @Test
  void readsTargetAndStepStrategiesAndBehaviour() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            """
        services:
          web:
            image: app:1
            replicas: { min: 2, max: 10 }
            scale:
              preset: hpa
              cpu: { target: 60, tolerance: 0.05 }
              memory:
                steps:
                  - { above: 90, add: 3 }
                  - { above: 75, below: 90, add: 50% }
                  - { below: 20, remove: 1 }
              window: { down: 2m }
              limits:
                up: [ { replicas: 2, period: 10s } ]
                down: []
              warmup: 15s
              forecast: 20s
              demand: true
        """);
    var policy = c.services().get("web").policy();
    assertThat(policy.name()).isEqualTo("hpa");
    assertThat(policy.behavior().lookahead()).isEqualTo(Duration.ofSeconds(20));
    // The hpa preset reads no demand; the service asks for it.
    assertThat(policy.behavior().demand()).isTrue();
    assertThat(policy.rules().get(0).strategy()).isEqualTo(new TargetStrategy(60, 0.05));
    assertThat(policy.rules().get(1).strategy()).isInstanceOf(StepStrategy.class);
    assertThat(((StepStrategy) policy.rules().get(1).strategy()).steps()).hasSize(3);
    assertThat(policy.behavior().downWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(policy.behavior().upLimits().limits()).hasSize(1);
    assertThat(policy.behavior().downLimits().isEmpty()).isTrue();
    assertThat(policy.behavior().warmup()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void theDockscalePresetReadsDemandUnlessTheServiceSaysNot() {
    String yaml =
        """
        services:
          web:
            image: app:1
            replicas: { min: 1, max: 4 }
            scale: { demand: %s }
        """;
    assertThat(
            ConfigLoader.parse("t.yml", String.format(yaml, "true"))
                .services()
                .get("web")
                .policy()
                .behavior()
                .demand())
        .isTrue();
    assertThat(
            ConfigLoader.parse("t.yml", String.format(yaml, "false"))
                .services()
                .get("web")
                .policy()
                .behavior()
                .demand())
        .isFalse();
    assertThat(problems(String.format(yaml, "maybe")).getMessage())
        .contains("line 5: services.web.scale.demand:");
  }

  @Test
  void namesTheFieldPathAndLineOfEachProblem() {
    ConfigException e =
        problems(
            """
        services:
          web:
            image: app:1
            replicas: { min: 5, max: 2 }
            resources: { cpus: fast }
        """);
    assertThat(e.problems())
        .extracting(ConfigException.Problem::path)
        .contains("services.web.replicas.max", "services.web.resources.cpus");
    assertThat(e.getMessage())
        .contains("line 4: services.web.replicas.max: max (2) must be >= min (5)");
    assertThat(e.getMessage())
        .contains(
            "line 5: services.web.resources.cpus: must be a number from 0.01 to 1024, got 'fast'");
  }

  @Test
  void requiresImageAndReplicas() {
    ConfigException e = problems("services:\n  web:\n    port: 80\n");
    assertThat(e.getMessage())
        .contains("services.web.image: required")
        .contains("services.web.replicas: required");
  }

  @Test
  void suggestsTheKeyAMisspeltOneMeant() {
    ConfigException e =
        problems("services:\n  web:\n    image: app:1\n    replicas: { max: 2 }\n    scael: {}\n");
    assertThat(e.getMessage())
        .contains("line 5: services.web.scael: unknown key 'scael' (did you mean 'scale'?)");
  }

  @Test
  void rejectsValuesThatWouldReachNginxOrDockerUnchecked() {
    ConfigException e =
        problems(
            """
        project: My Project
        services:
          web:
            image: "app:1; rm -rf /"
            path: "/x { return 200; }"
            env: { "BAD-NAME": x }
            replicas: { max: 2 }
        balancer:
          listen: example.com:80
        """);
    assertThat(e.problems())
        .extracting(ConfigException.Problem::path)
        .contains(
            "project",
            "services.web.image",
            "services.web.path",
            "services.web.env.BAD-NAME",
            "balancer.listen");
  }

  @Test
  void rejectsAnUnknownPresetAndConflictingStrategies() {
    ConfigException e =
        problems(
            "services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n    scale:\n      preset: fast\n      cpu: { up: 70, target: 50 }\n");
    assertThat(e.getMessage())
        .contains("unknown preset 'fast': use one of classic, hpa, dockscale")
        .contains("give exactly one strategy");
  }

  @Test
  void reportsBrokenYamlWithItsLine() {
    assertThatThrownBy(() -> ConfigLoader.parse("t.yml", "services:\n  web: [\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void rejectsTwoServicesOnOnePath() {
    ConfigException e =
        problems(
            "services:\n  a:\n    image: a:1\n    replicas: { max: 2 }\n  b:\n    image: b:1\n    replicas: { max: 2 }\n");
    assertThat(e.getMessage()).contains("services.b.path: path / is already routed");
  }

  @Test
  void parsesSizesAndDurations() {
    assertThat(Sizes.parse("256m")).isEqualTo(256L << 20);
    assertThat(Sizes.parse("1g")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("512MiB")).isEqualTo(512L << 20);
    assertThat(dev.dockscale.policy.Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(dev.dockscale.policy.Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> Sizes.parse("lots")).hasMessageContaining("not a size");
  }

  @Test
  void refusesAListenAddressWithAnOctetAbove255() {
    ConfigException e =
        problems(
            "services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\nbalancer:\n  listen: 127.0.0.256:80\n");
    assertThat(e.getMessage())
        .contains(
            "line 6: balancer.listen: host '127.0.0.256' must be an IPv4 address or localhost");
  }

  @Test
  void readsLocalhostAsTheLoopbackAddress() {
    assertThat(DockscaleConfig.BalancerSpec.of("localhost:81", "i:1"))
        .isEqualTo(new DockscaleConfig.BalancerSpec("127.0.0.1", 81, "i:1"));
    assertThat(DockscaleConfig.BalancerSpec.of("0.0.0.0:80", "i:1").listen())
        .isEqualTo("0.0.0.0:80");
  }
}
