package dev.dockscale.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The API's token when the config gives none: generated once (32 random hex digits) into a file
 * only its owner may read (mode 0600), and read from there at every later start.
 */
final class TokenFile {

  static final String NAME = "api-token";

  private TokenFile() {}

  /** The token in {@code dir}'s token file, generated first when there is none. */
  static String readOrCreate(Path dir) {
    Path file = dir.resolve(NAME);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(file)) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
          // Another start made it first: read its token.
        }
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (token.length() < 16) {
        throw new IllegalStateException(
            file + " holds no usable token (under 16 characters): delete it to have one generated");
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the API token file " + file, e);
    }
  }
}
