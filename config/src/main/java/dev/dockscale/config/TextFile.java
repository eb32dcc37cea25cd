package dev.dockscale.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a UTF-8 text file a user named, or says why it cannot: the config, a trace. */
public final class TextFile {

  private TextFile() {}

  /**
   * The text of {@code file}, decoded as UTF-8, without a leading byte order mark.
   *
   * @param maxBytes the largest file accepted
   * @throws UnreadableFileException saying why the file cannot be read
   */
  public static String read(Path file, long maxBytes) {
    Path path = file.toAbsolutePath().normalize();
    if (Files.isDirectory(path)) {
      throw new UnreadableFileException(path + " is a directory, not a file", 0);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      throw new UnreadableFileException(why(path, e), 0);
    }
    if (bytes.length > maxBytes) {
      throw new UnreadableFileException(
          path + " is larger than " + Sizes.format(maxBytes) + "; is it the right file?", 0);
    }
    String text = decode(path, bytes);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** What went wrong opening {@code path}, in words. */
  static String why(Path path, IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + path;
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied reading " + path + " (check its mode and owner)";
    }
    return "cannot read " + path + ": " + e.getMessage();
  }

  private static String decode(Path path, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      throw new UnreadableFileException(
          "not UTF-8 text: "
              + path
              + " has a byte at offset "
              + offset
              + " (line "
              + lineAt(bytes, offset)
              + ") that is not UTF-8; save the file as UTF-8",
          lineAt(bytes, offset));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
