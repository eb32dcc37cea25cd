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
}
