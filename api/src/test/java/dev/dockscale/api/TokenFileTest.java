package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @TempDir Path dir;

  @Test
  void aGeneratedTokenIsReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
    String first = TokenFile.readOrCreate(dir.resolve("state"));
    Path file = dir.resolve("state").resolve(TokenFile.NAME);
    assertThat(first).hasSize(32).matches("[0-9a-f]+");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(TokenFile.readOrCreate(dir.resolve("state"))).isEqualTo(first);
  }
}
