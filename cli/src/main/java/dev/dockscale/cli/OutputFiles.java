package dev.dockscale.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether two paths name one file, for outputs that must not overwrite inputs. */
final class OutputFiles {

  /** Symlinks followed at most, as the kernel does (ELOOP). */
  private static final int MAX_LINKS = 40;

  private OutputFiles() {}

  /**
   * True when {@code a} and {@code b} are one file: the same real path (symlinks followed), or,
   * when both exist, the same file on disk (also through a hard link).
   */
  static boolean same(Path a, Path b) {
    if (real(a).equals(real(b))) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The real path of {@code p}; for a file not there yet, its real directory and its name (a
   * dangling symlink is followed to where it would write).
   */
  static Path real(Path p) {
    return real(p, MAX_LINKS);
  }

  private static Path real(Path p, int links) {
    Path path = p.toAbsolutePath().normalize();
    try {
      if (Files.exists(path)) {
        return path.toRealPath();
      }
      if (Files.isSymbolicLink(path) && links > 0) {
        return real(path.resolveSibling(Files.readSymbolicLink(path)), links - 1);
      }
      Path parent = path.getParent();
      return parent == null ? path : real(parent, links).resolve(path.getFileName());
    } catch (IOException e) {
      return path;
    }
  }
}
