package dev.dockscale.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The API's token when the config gives none: generated once (32 random hex digits) into a file
 * only its owner may read (mode 0600), and read from there at every later start.
 *
 * <p>The file is the key to every write, so it is trusted only as this class would have made it: a
 * regular file (not a symbolic link), owned by the user dockscale runs as, with no group or other
 * permission bits; anything else is refused with what to do. It is written whole into a temporary
 * file created 0600 and then linked into place, so no other start ever reads it half written, and
 * two starts at once agree on one token.
 */
final class TokenFile {

  static final String NAME = "api-token";

  private static final Set<PosixFilePermission> NOT_OWNER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private TokenFile() {}

  /**
   * The token in {@code dir}'s token file, generated first when there is none.
   *
   * @throws IllegalStateException when the file is there but not to be trusted or holds no token,
   *     naming the file and the fix
   */
  static String readOrCreate(Path dir) {
    Path file = dir.resolve(NAME);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        create(dir, file);
      }
      return read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the API token file " + file, e);
    }
  }

  private static void create(Path dir, Path file) throws IOException {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    Path temp = Files.createTempFile(dir, NAME + ".", ".tmp", OWNER_ONLY);
    try {
      Files.writeString(temp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
      // A link never replaces: the file appears whole, or another start's stays.
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // Another start made it first: read its token.
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String read(Path file) throws IOException {
    PosixFileAttributes attributes =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      throw refused(
          file,
          (attributes.isSymbolicLink() ? "is a symbolic link" : "is not a regular file")
              + ", not the file dockscale writes: delete it to have a token generated");
    }
    UserPrincipal me =
        file.getFileSystem()
            .getUserPrincipalLookupService()
            .lookupPrincipalByName(System.getProperty("user.name"));
    if (!attributes.owner().equals(me)) {
      throw refused(
          file,
          "is owned by "
              + attributes.owner().getName()
              + ", not by "
              + me.getName()
              + " who runs dockscale: delete it to have a token generated (or chown it)");
    }
    Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
    loose.addAll(attributes.permissions());
    loose.retainAll(NOT_OWNER);
    if (!loose.isEmpty()) {
      throw refused(
          file,
          "may be read or written by others ("
              + PosixFilePermissions.toString(attributes.permissions())
              + "): chmod 600 "
              + file
              + ", or delete it to have a new token generated");
    }
    String token;
    try (InputStream in =
        Channels.newInputStream(
            Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      token = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    if (token.isEmpty()) {
      throw refused(file, "is empty: delete it to have a token generated");
    }
    if (token.length() < 16) {
      throw refused(
          file, "holds no usable token (under 16 characters): delete it to have one generated");
    }
    return token;
  }

  private static IllegalStateException refused(Path file, String why) {
    return new IllegalStateException("API token file " + file + " " + why);
  }
}
