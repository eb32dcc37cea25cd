package dev.dockscale.config;

/**
 * A file that cannot be read as text, and why: not found (with the absolute path tried), a
 * directory, permission denied, too large, or not UTF-8 (with the byte offset and line).
 */
public class UnreadableFileException extends RuntimeException {

  private final int line;

  public UnreadableFileException(String message, int line) {
    super(message);
    this.line = line;
  }

  /** The line of the problem, or 0 when it is the whole file's. */
  public int line() {
    return line;
  }
}
