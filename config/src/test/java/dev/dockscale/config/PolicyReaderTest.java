package dev.dockscale.config;

import static dev.dockscale.config.ServiceReaderTest.web;
import static dev.dockscale.config.YamlReadingTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

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
}
