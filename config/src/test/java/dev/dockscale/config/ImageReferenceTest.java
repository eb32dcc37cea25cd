package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "app                                  | ''                  | app                      | ''",
        "app:1                                | ''                  | app                      | 1",
        "myorg/app:V1.2                       | ''                  | myorg/app                | V1.2",
        "dockscale/sample-backend:latest      | ''                  | dockscale/sample-backend | latest",
        "org/a.b_c__d---e/f-g:_x.y-Z          | ''                  | org/a.b_c__d---e/f-g     | _x.y-Z",
        "localhost/app                        | localhost           | app                      | ''",
        "localhost:5000/team/app:2            | localhost:5000      | team/app                 | 2",
        "registry.example.com/app             | registry.example.com | app                     | ''",
        "Registry.Example.com:443/a/b/c:1     | Registry.Example.com:443 | a/b/c               | 1",
        "my-registry:5000/app                 | my-registry:5000    | app                      | ''",
        "[::1]:5000/app:1                     | [::1]:5000          | app                      | 1",
        "127.0.0.1:5000/app                   | 127.0.0.1:5000      | app                      | ''",
      })
  void readsValidReferences(String text, String registry, String path, String tag) {
    ImageReference ref = ImageReference.parse(text);
    assertThat(ref).isEqualTo(new ImageReference(registry, path, tag, ""));
    assertThat(ref.toString()).isEqualTo(text);
  }

  @Test
  void readsADigestWithOrWithoutATag() {
    assertThat(ImageReference.parse("app@" + DIGEST).digest()).isEqualTo(DIGEST);
    assertThat(ImageReference.parse("ghcr.io/o/app:1@" + DIGEST))
        .isEqualTo(new ImageReference("ghcr.io", "o/app", "1", DIGEST));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MyApp:1                | write myapp:1",
        "MyOrg/app:V1           | write myorg/app:V1",
        "ghcr.io/MyOrg/App      | write ghcr.io/myorg/app",
        "app:1; rm -rf /        | the registry 'app:1; rm -rf '",
        "'app:1; rm -rf'        | the tag '1; rm -rf'",
        "app:                   | the tag ''",
        "app:-x                 | the tag '-x'",
        "app:.x                 | the tag '.x'",
        "'app:x x'              | the tag 'x x'",
        ":latest                | it has no repository name",
        "''                     | it has no repository name",
        "a//b                   | an empty path component",
        "app/                   | an empty path component",
        "/app                   | an empty path component",
        "-app                   | '-app' is not a path component",
        "app-                   | 'app-' is not a path component",
        "a..b                   | 'a..b' is not a path component",
        "a___b                  | 'a___b' is not a path component",
        "a b                    | 'a b' is not a path component",
        "app:1:2                | 'app:1' is not a path component",
        "app@sha256:abc         | the digest after @ must be sha256: and 64 lower-case hex digits",
        "app@md5:0123456789abcdef0123456789abcdef | the digest after @",
        "-bad.host/app          | the registry '-bad.host' is not a host or host:port",
        "host.io:port/app       | the registry 'host.io:port'",
        "host.io:123456/app     | the registry 'host.io:123456'",
      })
  void refusesInvalidReferencesSayingWhy(String text, String why) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'" + text + "' is not an image reference: ")
        .hasMessageContaining(why)
        .hasMessageEndingWith("; write e.g. dockscale/sample-backend:latest");
  }

  @Test
  void refusesATagLongerThan128Characters() {
    assertThat(ImageReference.parse("app:" + "v".repeat(128)).tag()).hasSize(128);
    assertThatThrownBy(() -> ImageReference.parse("app:" + "v".repeat(129)))
        .hasMessageContaining("the tag");
  }

  @ParameterizedTest
  @ValueSource(ints = {255, 256})
  void refusesANameLongerThan255Characters(int length) {
    String name = "a/" + "b".repeat(length - 2);
    if (length <= 255) {
      assertThat(ImageReference.parse(name + ":1").path()).isEqualTo(name);
    } else {
      assertThatThrownBy(() -> ImageReference.parse(name + ":1"))
          .hasMessageContaining("longer than 255 characters");
    }
  }

  @Test
  void aServiceImageWithUpperCaseIsAProblemWithTheLowerCaseFix() {
    ConfigException e =
        YamlReadingTest.problems(
            "services:\n  web:\n    image: MyOrg/App:V1\n    replicas: { max: 2 }\n");
    assertThat(e.getMessage())
        .contains(
            "line 3: services.web.image: 'MyOrg/App:V1' is not an image reference: a repository name is lower case (only the tag may have capitals): write myorg/app:V1");
  }

  @Test
  void aServiceImageWithACapitalTagIsValid() {
    assertThat(
            ConfigLoader.parse(
                    "t.yml",
                    "services:\n  web:\n    image: myorg/app:V1.2\n    replicas: { max: 2 }\n")
                .services()
                .get("web")
                .image())
        .isEqualTo("myorg/app:V1.2");
  }
}
