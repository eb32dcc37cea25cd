package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dockscale.config.DockscaleConfig.RuntimeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code runtime}: one Docker Engine by default, or Swarm; and what only one of them can do. */
class RuntimeConfigTest {

  private static DockscaleConfig parse(String top, String service) {
    String replicas = service.contains("replicas:") ? "" : "    replicas: { min: 1, max: 4 }\n";
    return ConfigLoader.parse(
        "t.yml", top + "services:\n  web:\n    image: app:1\n" + replicas + service);
  }

  private static String problems(String top, String service) {
    return catchThrowableOfType(ConfigException.class, () -> parse(top, service)).getMessage();
  }

  @Test
  void dockerByDefaultSwarmWhenSaid() {
    assertThat(parse("", "").runtime()).isEqualTo(RuntimeKind.DOCKER);
    assertThat(parse("runtime: docker\n", "").onSwarm()).isFalse();
    DockscaleConfig swarm =
        parse(
            "runtime: swarm\n",
            "    placement: [\"node.role==worker\", \"node.labels.zone != a\"]\n");
    assertThat(swarm.onSwarm()).isTrue();
    assertThat(swarm.services().get("web").placement())
        .containsExactly("node.role==worker", "node.labels.zone != a");
  }

  @Test
  void namesTheLineFieldAndFixOfWhatTheRuntimeCannotDo() {
    assertThat(problems("runtime: kubernetes\n", ""))
        .contains("line 1: runtime: must be 'docker' (the default) or 'swarm', got 'kubernetes'");
    assertThat(problems("runtime: swarm\n", "    replicas: { min: 1, max: 4, warm: 1 }\n"))
        .contains("services.web.replicas.warm: a warm pool needs 'runtime: docker'");
    assertThat(problems("runtime: swarm\n", "    resources: { cpuset: \"0\" }\n"))
        .contains("services.web.resources.cpuset: Swarm services have no cpuset");
    assertThat(problems("runtime: swarm\n", "    batch-wait: 2s\n"))
        .contains("services.web.batch-wait: is read only with 'runtime: docker'");
    assertThat(problems("", "    placement: [\"node.role==worker\"]\n"))
        .contains("line 5: services.web.placement: is read only with 'runtime: swarm'");
  }

  @Test
  void refusesWhatIsNotAPlacementConstraint() {
    for (String bad :
        List.of(
            "node.role=worker",
            "role==worker",
            "node.role==worker; rm",
            "''",
            "node.foo==bar",
            "engine.role==manager",
            "node...==x")) {
      assertThat(problems("runtime: swarm\n", "    placement: [" + bad + "]\n"))
          .as(bad)
          .contains("services.web.placement[0]: is not a placement constraint");
    }
    assertThat(problems("runtime: swarm\n", "    placement: node.role==worker\n"))
        .contains("services.web.placement: must be a list");
  }
}
