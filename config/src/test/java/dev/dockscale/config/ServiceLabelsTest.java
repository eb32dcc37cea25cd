package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Swarm service's dockscale.* labels as its policy, where dockscale.yml does not speak. */
class ServiceLabelsTest {

  private static final String FILE =
      """
      runtime: swarm
      services:
        web:
          image: app:1
          replicas: { min: 2 }
      """;

  private static DockscaleConfig parse(String file, Map<String, String> labels) {
    return ConfigLoader.parse("t.yml", file, Map.of("web", labels));
  }

  private static String problems(Map<String, String> labels) {
    return catchThrowableOfType(ConfigException.class, () -> parse(FILE, labels)).getMessage();
  }

  @Test
  void labelsSetWhatTheFileLeavesOutAndTheFileWinsWhereBothSpeak() {
    ServiceSpec web =
        parse(
                FILE,
                Map.of(
                    "dockscale.replicas.max", "8",
                    "dockscale.replicas.min", "5",
                    "dockscale.scale.cpu.target", "65",
                    "dockscale.drain", "3s",
                    "dockscale.managed", "true",
                    "dockscale.project", "p",
                    "com.example.team", "shop"))
            .services()
            .get("web");
    assertThat(web.policy().max()).isEqualTo(8);
    assertThat(web.policy().min()).as("the file's").isEqualTo(2);
    assertThat(web.policy().rules().toString()).contains("target(65");
    assertThat(web.drain()).hasSeconds(3);
  }

  @Test
  void aBadLabelIsNamedWithTheSameMessageAsTheKeyInTheFile() {
    assertThat(problems(Map.of("dockscale.replicas.max", "lots")))
        .contains(
            "label dockscale.replicas.max=lots on the Swarm service of web (services.web.replicas.max): must be");
    String fileMessage =
        catchThrowableOfType(
                ConfigException.class,
                () -> parse(FILE.replace("{ min: 2 }", "{ min: 2, max: lots }"), Map.of()))
            .problems()
            .get(0)
            .message();
    assertThat(problems(Map.of("dockscale.replicas.max", "lots"))).contains(fileMessage);
    assertThat(problems(Map.of("dockscale.replica.max", "3")))
        .contains(
            "label dockscale.replica.max=3 on the Swarm service of web (services.web.replica)")
        .contains("replicas");
    assertThat(problems(Map.of("dockscale.image", "other:2")))
        .contains("image is the Swarm service's own setting");
    assertThat(problems(Map.of("dockscale..max", "3"))).contains("is not a key of a service");
  }

  @Test
  void labelsOfAServiceTheFileDoesNotNameAndOnDockerAreNotRead() {
    assertThat(
            ConfigLoader.parse("t.yml", FILE, Map.of("api", Map.of("dockscale.replicas.max", "x")))
                .services())
        .containsOnlyKeys("web");
  }

  @Test
  void aLabelOfOneServiceNeverReachesAnotherThroughAnAnchorAndMergedKeysStillWin() {
    String shared =
        """
        runtime: swarm
        x-defaults: &d { replicas: { min: 2, max: 4 } }
        services:
          web:
            image: app:1
            replicas: &r { min: 1, max: 4 }
          api:
            image: app:1
            path: /api
            replicas: *r
          merged:
            <<: *d
            image: app:1
            path: /merged
        """;
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            shared,
            Map.of(
                "web", Map.of("dockscale.replicas.min", "3"),
                "merged", Map.of("dockscale.replicas.min", "3", "dockscale.drain", "7s")));
    assertThat(c.services().get("web").policy().min()).isEqualTo(1);
    assertThat(c.services().get("api").policy().min()).as("api shares web's anchor").isEqualTo(1);
    assertThat(c.services().get("merged").policy().min()).as("the merged map's, kept").isEqualTo(2);
    assertThat(c.services().get("merged").policy().max()).isEqualTo(4);
    assertThat(c.services().get("merged").drain()).hasSeconds(7);
  }

  @Test
  void aLabelWithoutAValueIsAProblem() {
    for (String empty : java.util.List.of("", " ", "~", "null")) {
      assertThat(problems(Map.of("dockscale.replicas.max", empty)))
          .as("'%s'", empty)
          .contains("has no value");
    }
  }

  @Test
  void labelsMayGiveWhatTheFileLeavesOut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("dockscale.yml");
    java.nio.file.Files.writeString(
        file, "project: shop\nruntime: swarm\nservices:\n  web:\n    image: app:1\n");
    java.util.List<String> asked = new java.util.ArrayList<>();
    DockscaleConfig c =
        ConfigLoader.load(
            file,
            project -> {
              asked.add(project);
              return Map.of(
                  "web", Map.of("dockscale.replicas.min", "2", "dockscale.replicas.max", "6"));
            });
    assertThat(asked).containsExactly("shop");
    assertThat(c.services().get("web").policy().max()).isEqualTo(6);
    java.nio.file.Files.writeString(
        file, "project: shop\nservices:\n  web:\n    image: app:1\n    replicas: { max: 2 }\n");
    ConfigLoader.load(
        file,
        project -> {
          asked.add("docker: " + project);
          return Map.of();
        });
    assertThat(asked).as("no labels asked for runtime: docker").hasSize(1);
  }
}
