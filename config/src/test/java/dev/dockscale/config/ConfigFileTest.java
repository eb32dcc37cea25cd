package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dockscale.config.ConfigException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigLoader#load}: a file that cannot be read says why. */
class ConfigFileTest {

  private static final String VALID =
      "services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n";

  @TempDir Path dir;

  private static ConfigException loadFails(Path file) {
    try {
      ConfigLoader.load(file);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected " + file + " to be refused");
  }

  @Test
  void namesTheAbsolutePathTriedWhenTheFileIsMissing() {
    Path relative = Path.of("no-such-dir", "dockscale.yml");
    ConfigException e = loadFails(relative);
    assertThat(e.problems())
        .containsExactly(
            new Problem("", 0, "no such file: " + relative.toAbsolutePath().normalize()));
  }

  @Test
  void saysWhenTheFileIsADirectory() {
    assertThat(loadFails(dir).getMessage()).contains(dir + " is a directory, not a file");
  }

  @Test
  void saysPermissionDeniedWithTheFix() {
    assertThat(TextFile.why(dir.resolve("x.yml"), new AccessDeniedException("x.yml")))
        .isEqualTo(
            "permission denied reading " + dir.resolve("x.yml") + " (check its mode and owner)");
  }

  @Test
  void saysPermissionDeniedForAFileItCannotRead() throws IOException {
    assumeThat(System.getProperty("user.name")).as("root reads every file").isNotEqualTo("root");
    Path file = Files.writeString(dir.resolve("locked.yml"), VALID);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    assertThat(loadFails(file).getMessage()).contains("permission denied reading " + file);
  }

  @Test
  void givesTheByteOffsetAndLineOfTextThatIsNotUtf8() throws IOException {
    Path file = dir.resolve("latin1.yml");
    Files.write(
        file, (VALID + "    env: { CITY: Malm\u00f6 }\n").getBytes(StandardCharsets.ISO_8859_1));
    ConfigException e = loadFails(file);
    int offset = VALID.length() + "    env: { CITY: Malm".length();
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).line()).isEqualTo(5);
    assertThat(e.problems().get(0).message())
        .isEqualTo(
            "not UTF-8 text: "
                + file
                + " has a byte at offset "
                + offset
                + " (line 5) that is not UTF-8; save the file as UTF-8");
  }

  @Test
  void acceptsAByteOrderMark() throws IOException {
    Path file = dir.resolve("bom.yml");
    Files.write(file, ("\uFEFF" + VALID).getBytes(StandardCharsets.UTF_8));
    assertThat(ConfigLoader.load(file).services()).containsKey("web");
  }

  @Test
  void refusesAFileTooLargeToBeAConfig() throws IOException {
    Path file = Files.writeString(dir.resolve("big.yml"), "#".repeat((1 << 20) + 1));
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .hasMessageContaining(file + " is larger than 1m; is it the right file?");
  }
}
