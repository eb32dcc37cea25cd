package dev.dockscale.runtime.docker;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A kernel counter file (a cgroup's {@code cpuacct.usage}, {@code memory.stat} …) kept open and
 * read again from its start at each read: one {@code pread} into a buffer kept between reads (a
 * kernel counter file hands over its whole text in one read when the buffer is large enough), and
 * the number parsed from the bytes, with no string made on the way. Opening, reading and closing
 * the file each time costs several times the kernel time. A read that fails closes the file (its
 * container was removed, or restarted with a new cgroup), so the next read opens it afresh.
 */
final class CounterFile implements Closeable {

  private final Path path;
  private FileChannel channel;
  private ByteBuffer buffer = ByteBuffer.allocate(1024);
  private int length;

  CounterFile(Path path) {
    this.path = path;
  }

  /** The file's one number. */
  long number() throws IOException {
    read();
    return counter(0, length);
  }

  /** The value of its {@code name value} line, as in {@code memory.stat} or {@code cpu.stat}. */
  long field(String name) throws IOException {
    read();
    for (int line = 0; line < length; line = endOfLine(line) + 1) {
      if (startsWith(line, name)) {
        int start = line + name.length() + 1;
        return counter(start, endOfLine(start));
      }
    }
    throw new IOException(path + " has no " + name + " line");
  }

  /** Whether the line at {@code at} is {@code name}, a space, and more. */
  private boolean startsWith(int at, String name) {
    byte[] text = buffer.array();
    if (at + name.length() >= length || text[at + name.length()] != ' ') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (text[at + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int endOfLine(int from) {
    byte[] text = buffer.array();
    int i = from;
    while (i < length && text[i] != '\n') {
      i++;
    }
    return i;
  }

  /** The whole file into {@link #buffer}: one read, more only when it filled the buffer. */
  private void read() throws IOException {
    try {
      if (channel == null) {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      }
      while (true) {
        buffer.clear();
        int n = channel.read(buffer, 0);
        length = Math.max(n, 0);
        if (buffer.hasRemaining()) {
          return;
        }
        buffer = ByteBuffer.allocate(buffer.capacity() * 2);
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The non-negative decimal number between {@code from} and {@code to}, blanks around it. */
  private long counter(int from, int to) throws IOException {
    byte[] text = buffer.array();
    int start = from;
    int end = to;
    while (start < end && Character.isWhitespace(text[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(text[end - 1])) {
      end--;
    }
    if (start == end) {
      throw notACounter(start, end);
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
        throw notACounter(start, end);
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private IOException notACounter(int start, int end) {
    String text = new String(buffer.array(), start, end - start, StandardCharsets.US_ASCII);
    return new IOException(path + " holds '" + text + "' where a counter should be");
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Closing a read-only file: nothing to lose.
      }
      channel = null;
    }
  }
}
