package dev.dockscale.config;

import static dev.dockscale.config.ServiceReaderTest.web;
import static dev.dockscale.config.YamlReadingTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.TargetStrategy;
import org.junit.jupiter.api.Test;

class PolicyReaderTest {

  private static String scale(String replicas, String scale) {
    return "services:\n  web:\n    image: a:1\n    replicas: "
        + replicas
        + "\n    scale:\n"
        + scale.indent(6);
  }

  @Test
  void refusesScaleToZeroWithTheFix() {
    ConfigException e =
        problems("services:\n  web:\n    image: a:1\n    replicas: { min: 0, max: 2 }\n");
    assertThat(e.getMessage())
        .contains(
            "line 4: services.web.replicas.min: scale-to-zero is not supported yet; use min: 1");
  }

  @Test
  void refusesCpuAndMemoryPercentagesAboveAHundredWithTheReason() {
    ConfigException e =
        problems(
            scale(
                "{ max: 4 }",
                """
                cpu: { up: 150, down: 20 }
                memory:
                  steps:
                    - { above: 90, below: 120, add: 1 }
                """));
    assertThat(e.getMessage())
        .contains(
            "services.web.scale.cpu.up: must be from 0 to 100, got 150: cpu is CPU time used, in % of the replica's CPU limit, so it never reads above 100")
        .contains("raise its resources instead")
        .contains("services.web.scale.memory.steps[0].below: must be from 0 to 100, got 120");
  }

  @Test
  void refusesATargetAboveAHundred() {
    ConfigException e = problems(scale("{ max: 4 }", "memory: { target: 101 }\n"));
    assertThat(e.getMessage())
        .contains("services.web.scale.memory.target: must be from 0.1 to 100, got 101");
  }

  @Test
  void refusesAStepOfMoreReplicasThanAServiceMayHave() {
    ConfigException e = problems(scale("{ max: 4 }", "cpu: { up: 70, down: 20, step: 100000 }\n"));
    assertThat(e.getMessage())
        .contains("services.web.scale.cpu.step: must be at most 1000 replicas, got 100000");
  }

  @Test
  void refusesBehaviourDurationsBeyondTheirBounds() {
    ConfigException e =
        problems(
            scale(
                "{ max: 4 }",
                """
                cooldown: { up: 2h, down: 99999999999999999999h }
                window: { down: 61m }
                warmup: -1s
                limits:
                  up: [ { replicas: 2, period: 0s } ]
                """));
    assertThat(e.getMessage())
        .contains("services.web.scale.cooldown.up: must be from 0s to 1h, got 2h")
        .contains(
            "services.web.scale.cooldown.down: must be from 0s to 1h, got 99999999999999999999h")
        .contains("services.web.scale.window.down: must be from 0s to 1h, got 61m")
        .contains("services.web.scale.warmup: '-1s' is not a duration >= 0")
        .contains("services.web.scale.limits.up[0].period: must be from 1s to 30m, got 0s");
  }

  @Test
  void acceptsEveryBoundItself() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            "interval: 1h\n"
                + scale(
                    "{ min: 1, max: 1000 }",
                    """
                    cpu: { up: 100, down: 0, step: 1000 }
                    memory: { target: 100 }
                    cooldown: { up: 0s, down: 1h }
                    limits: { up: [ { percent: 10000, period: 30m } ] }
                    """));
    assertThat(c.services().get("web").policy().max()).isEqualTo(1000);
  }

  @Test
  void refusesAnIntervalOverAnHour() {
    ConfigException e = problems("interval: 2h\n" + web(""));
    assertThat(e.getMessage()).contains("line 1: interval: must be from 100ms to 1h, got 2h");
  }

  @Test
  void readsRequestRateTargetAndLatencyBoundAsRules() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            scale(
                "{ max: 4 }",
                """
                rps: { target: 50 }
                inflight: { up: 8, down: 2 }
                latency: { p95: 200ms, step: 2 }
                """));
    var rules = c.services().get("web").policy().rules();
    assertThat(rules)
        .extracting(r -> r.metric().key())
        .containsExactly("rps", "inflight", "latency");
    assertThat(rules.get(0).strategy()).isEqualTo(new TargetStrategy(50, 0.1));
    // Latency only ever scales out: at or above 200 ms it adds 2, below it has no opinion.
    assertThat(rules.get(2).strategy().propose(250, 3, 3)).isEqualTo(5);
    assertThat(rules.get(2).strategy().opines(199)).isFalse();
  }

  @Test
  void acceptsARequestRateAboveAHundredButNotBeyondItsSanityLimit() {
    ConfigException e = problems(scale("{ max: 4 }", "rps: { target: 2000000 }\n"));
    assertThat(e.getMessage())
        .contains(
            "line 6: services.web.scale.rps.target: must be from 0.1 to 1000000, got 2000000: rps is requests per second")
        .contains("far beyond what one replica can serve");
    DockscaleConfig c = ConfigLoader.parse("t.yml", scale("{ max: 4 }", "rps: { target: 500 }\n"));
    assertThat(c.services().get("web").policy().rules().get(0).strategy())
        .isEqualTo(new TargetStrategy(500, 0.1));
  }

  @Test
  void refusesALatencyTargetWithTheShapeItTakes() {
    ConfigException e = problems(scale("{ max: 4 }", "latency: { target: 200 }\n"));
    assertThat(e.getMessage())
        .contains("line 6: services.web.scale.latency: latency does not fall in proportion")
        .contains("write latency: { p95: 200ms }");
  }

  @Test
  void refusesALatencyBoundThatIsNotADurationOrMissing() {
    ConfigException e =
        problems(
            scale(
                "{ max: 4 }",
                """
                latency: { p95: 200 }
                """));
    assertThat(e.getMessage())
        .contains(
            "line 6: services.web.scale.latency.p95: give the unit, e.g. p95: 200ms (a bare number would be read as seconds)");
    ConfigException missing = problems(scale("{ max: 4 }", "latency: { step: 2 }\n"));
    assertThat(missing.getMessage())
        .contains("services.web.scale.latency: required: p95; write latency: { p95: 200ms }");
    ConfigException zero = problems(scale("{ max: 4 }", "latency: { p95: 0ms, p99: 1s }\n"));
    assertThat(zero.getMessage())
        .contains("services.web.scale.latency.p95: must be from 1ms to 1h, got 0ms")
        .contains("p99");
  }
}
