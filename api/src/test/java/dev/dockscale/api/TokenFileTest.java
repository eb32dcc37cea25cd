package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void aGeneratedTokenIsReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
    String first = TokenFile.readOrCreate(dir.resolve("state"));
    Path file = dir.resolve("state").resolve(TokenFile.NAME);
    assertThat(first).hasSize(32).matches("[0-9a-f]+");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(TokenFile.readOrCreate(dir.resolve("state"))).isEqualTo(first);
    // Written through a temporary file, which is gone.
    try (var files = Files.list(dir.resolve("state"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("api-token");
    }
  }

  private Path tokenFile(String mode, String content) throws IOException {
    Path file = dir.resolve(TokenFile.NAME);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  @Test
  void aTokenFileOthersMayReadIsRefusedWithTheFix() throws Exception {
    Path file = tokenFile("rw-r--r--", TOKEN);
    assertThatThrownBy(() -> TokenFile.readOrCreate(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600 " + file);
  }

  @Test
  void aSymbolicLinkIsRefused() throws Exception {
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, TOKEN);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(dir.resolve(TokenFile.NAME), target);
    assertThatThrownBy(() -> TokenFile.readOrCreate(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(link.toString())
        .hasMessageContaining("symbolic link")
        .hasMessageContaining("delete it");
  }

  @Test
  void aTokenFileOfAnotherUserIsRefused() throws Exception {
    Path file = tokenFile("rw-------", TOKEN);
    UserPrincipal other;
    try {
      other = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setOwner(other);
    } catch (UserPrincipalNotFoundException | java.nio.file.FileSystemException e) {
      other = null;
    }
    assumeTrue(other != null, "needs a user 'nobody' and the right to give it a file (root)");
    assertThatThrownBy(() -> TokenFile.readOrCreate(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("owned by nobody");
  }

  @Test
  void anEmptyTokenFileIsRefusedWithTheFix() throws Exception {
    Path file = tokenFile("rw-------", "");
    assertThatThrownBy(() -> TokenFile.readOrCreate(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is empty: delete it");
  }
}
