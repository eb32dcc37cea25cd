package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ConfigException.Problem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How YAML itself is read: duplicates, aliases, merges, scalars as written, BOM, bad syntax. */
class YamlReadingTest {

  static ConfigException problems(String yaml) {
    try {
      ConfigLoader.parse("test.yml", yaml);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void readsACharacterOutsideTheBasicPlaneWhereverItFallsInTheReadersBuffer() {
    // SnakeYAML 2.3 threw IndexOutOfBoundsException when a surrogate pair straddled its reader's
    // 1,024-character buffer; the config property test found it with an emoji in a comment.
    for (int pad = 1010; pad < 1030; pad++) {
      String yaml =
          "# "
              + "a".repeat(pad)
              + "\uD83D\uDE00\nservices:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n";

      assertThat(ConfigLoader.parse("test.yml", yaml).services()).containsOnlyKeys("web");
    }
  }

  @Test
  void refusesADuplicateServiceWithBothLines() {
    ConfigException e =
        problems(
            """
            services:
              web:
                image: a:1
                replicas: { max: 2 }
              web:
                image: b:1
                replicas: { max: 3 }
            """);
    assertThat(e.problems())
        .contains(
            new Problem(
                "services.web",
                5,
                "duplicate key 'web' on lines 2 and 5: keep one (YAML would silently use the last)"));
  }

  @Test
  void refusesAKeyGivenTwiceInAServiceWithBothLines() {
    ConfigException e =
        problems("services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n    image: b:1\n");
    assertThat(e.getMessage())
        .contains("line 5: services.web.image: duplicate key 'image' on lines 3 and 5");
  }

  @Test
  void refusesADuplicateKeyInAFlowMap() {
    ConfigException e =
        problems("services:\n  web:\n    image: a:1\n    replicas: { max: 2, max: 3 }\n");
    assertThat(e.getMessage()).contains("duplicate key 'max' on lines 4 and 4");
  }

  @Test
  void expandsAnAliasToItsAnchorsValue() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            """
            services:
              web:
                image: &img dockscale/sample-backend:latest
                env: { IMAGE: *img }
                replicas: &r { min: 2, max: 5 }
                path: /web
              api:
                image: *img
                replicas: *r
                path: /api
            """);
    assertThat(c.services().get("api").image()).isEqualTo("dockscale/sample-backend:latest");
    assertThat(c.services().get("web").env())
        .containsEntry("IMAGE", c.services().get("api").image());
    assertThat(c.services().get("api").policy().max()).isEqualTo(5);
  }

  @Test
  void mergesMapsWithMergeKeysWhereTheMapsOwnKeysWin() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            """
            x-defaults: &defaults
              image: dockscale/sample-backend:latest
              replicas: { min: 1, max: 4 }
              drain: 3s
            services:
              web:
                <<: *defaults
                drain: 7s
                path: /web
              api:
                path: /api
                <<: [*defaults, { port: 9000, drain: 1s }]
            """);
    ServiceSpec web = c.services().get("web");
    assertThat(web.image()).isEqualTo("dockscale/sample-backend:latest");
    assertThat(web.drain()).isEqualTo(Duration.ofSeconds(7));
    ServiceSpec api = c.services().get("api");
    assertThat(api.drain()).isEqualTo(Duration.ofSeconds(3));
    assertThat(api.port()).isEqualTo(9000);
    assertThat(api.policy().max()).isEqualTo(4);
  }

  @Test
  void refusesAMergeOfSomethingOtherThanAMap() {
    ConfigException e =
        problems("services:\n  web:\n    <<: 3\n    image: a:1\n    replicas: { max: 2 }\n");
    assertThat(e.getMessage()).contains("line 3: services.web: '<<' merges a map into this one");
  }

  @Test
  void refusesABillionLaughsDocumentAtTheLineWhereItBlowsUp() {
    StringBuilder yaml =
        new StringBuilder("x-lol: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("x-lol").append(i).append(": &l").append(i).append(" [");
      yaml.append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1))));
      yaml.append("]\n");
    }
    yaml.append("services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n");
    long start = System.nanoTime();
    ConfigException e = problems(yaml.toString());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(e.problems()).hasSize(1);
    // 9^5 lols (line 6) is the first level over 100000 values.
    assertThat(e.problems().get(0).line()).isEqualTo(6);
    assertThat(e.problems().get(0).message())
        .contains(
            "the aliases here expand to more than 100000 values (a 'billion laughs' document)");
  }

  @Test
  void refusesAnAliasInsideItsOwnAnchor() {
    ConfigException e =
        problems("services:\n  web: &w\n    image: a:1\n    replicas: { max: 2 }\n    env: *w\n");
    assertThat(e.getMessage())
        .contains("line 2: the value anchored here holds an alias to itself (a recursive alias)");
  }

  @Test
  void refusesAnUndefinedAliasWithItsLine() {
    ConfigException e = problems("services:\n  web:\n    image: *img\n    replicas: { max: 2 }\n");
    assertThat(e.getMessage())
        .contains("line 3: not valid YAML: found undefined alias img")
        .contains("needs an anchor &name earlier");
  }

  @Test
  void keepsEnvironmentValuesExactlyAsWritten() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml",
            """
            services:
              web:
                image: a:1
                replicas: { max: 2 }
                env:
                  OCTAL: 010
                  VERSION: 1.10
                  FLAG: yes
                  OFF: off
                  HEX: 0x1F
                  BIG: 1e3
                  TILDE: "~"
                  EMPTY: ""
                  SPACED: " a "
            """);
    assertThat(c.services().get("web").env())
        .containsEntry("OCTAL", "010")
        .containsEntry("VERSION", "1.10")
        .containsEntry("FLAG", "yes")
        .containsEntry("OFF", "off")
        .containsEntry("HEX", "0x1F")
        .containsEntry("BIG", "1e3")
        .containsEntry("TILDE", "~")
        .containsEntry("EMPTY", "")
        .containsEntry("SPACED", " a ");
  }

  @Test
  void refusesANullEnvironmentValueWithTheFix() {
    ConfigException e =
        problems(
            """
            services:
              web:
                image: a:1
                replicas: { max: 2 }
                env:
                  A: null
                  B: ~
                  C:
            """);
    assertThat(e.problems())
        .extracting(Problem::path, Problem::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("services.web.env.A", 6),
            org.assertj.core.groups.Tuple.tuple("services.web.env.B", 7),
            org.assertj.core.groups.Tuple.tuple("services.web.env.C", 8));
    assertThat(e.problems().get(0).message())
        .contains("write FOO: \"\" (quoted) for an empty value, or remove the line");
  }

  @Test
  void acceptsAByteOrderMarkAtTheStart() {
    DockscaleConfig c =
        ConfigLoader.parse(
            "t.yml", "\uFEFFservices:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n");
    assertThat(c.services()).containsKey("web");
  }

  @Test
  void readsNumbersOnlyWhenWrittenAsNumbers() {
    ConfigException e =
        problems(
            """
            services:
              web:
                image: a:1
                port: "8000"
                replicas: { min: 01, max: 0x10 }
                resources: { cpus: .inf }
            """);
    assertThat(e.getMessage())
        .contains(
            "line 4: services.web.port: must be a whole number from 1 to 65535, got '8000' (quoted: write a number without quotes)")
        .contains("services.web.replicas.min: write 01 without its leading zero")
        .contains("services.web.replicas.max: must be a whole number from 1 to 1000, got '0x10'")
        .contains("services.web.resources.cpus: must be a number from 0.01 to 1024, got '.inf'");
  }

  @Test
  void refusesTabIndentationWithItsLineAndTheFix() {
    ConfigException e = problems("services:\n  web:\n\timage: a:1\n");
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).line()).isEqualTo(3);
    assertThat(e.problems().get(0).message()).contains("indent with spaces, not tabs");
  }

  @Test
  void refusesATopLevelThatIsNotAMapAtItsLine() {
    ConfigException e = problems("# a list, not a map\n- web\n");
    assertThat(e.problems()).extracting(Problem::line).containsOnly(2);
  }

  @Test
  void refusesAnEmptyFile() {
    ConfigException e = problems("# nothing yet\n");
    assertThat(e.getMessage()).contains("line 1: the file is empty");
  }

  @Test
  void refusesASecondDocument() {
    ConfigException e =
        problems("services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n---\nmore: 1\n");
    assertThat(e.getMessage()).contains("line 5: not valid YAML: expected a single document");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "services:\n  ? [a, b]\n  : { image: a:1, replicas: { max: 2 } }\n",
        "services: !!set { web }\n",
        "services:\n  web: &w\n    <<: *w\n",
        "x-a: &a { <<: *a }\n",
        "services:\n  web:\n    <<: [*nope]\n",
        "services:\n  web:\n    <<: [1, 2]\n    image: a:1\n    replicas: { max: 2 }\n",
        "services:\n  &k web: { image: a:1, replicas: { max: 2 } }\n  *k : { image: b:1 }\n",
        "? &k [x]\n: 1\nservices: { *k : 2 }\n",
        "services:\n  web:\n    image: !!binary aGk=\n    replicas: !!seq [1]\n",
        "%YAML 1.2\n---\nservices: {}\n",
        "--- |\n  text\n",
        "services:\n  web:\n    env: { A: !!null x }\n",
        "\"services\": { \"web\": { \"image\": \"a:1\", \"replicas\": { \"max\": 2 }, \"image\": \"b\" } }\n",
      })
  void refusesOddYamlOnlyWithProblemsThatSayWhere(String yaml) {
    ConfigException e = problems(yaml);
    assertThat(e.problems())
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p.line() > 0 || !p.path().isEmpty()).as(p.toString()).isTrue();
              assertThat(p.message()).isNotBlank();
            });
  }

  @org.junit.jupiter.api.Test
  void theConfigReferencesAnchorExampleIsValid() throws java.io.IOException {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/config.md"));
    String yaml =
        doc.substring(
                doc.indexOf("  x-defaults:"), doc.indexOf("  ```", doc.indexOf("  x-defaults:")))
            .stripIndent();
    DockscaleConfig c = ConfigLoader.parse("config.md", yaml);
    assertThat(c.services().get("api").image()).isEqualTo("myorg/app:1.4");
    assertThat(c.services().get("api").policy().max()).isEqualTo(8);
  }
}
