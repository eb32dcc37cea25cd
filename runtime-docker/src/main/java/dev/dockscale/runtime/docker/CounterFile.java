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
 * read again from its start at each read: one {@code pread}, about 1 µs of kernel time here, where
 * opening, reading and closing it costs about 5 µs. A read that fails closes the file (its
 * container was removed, or restarted with a new cgroup), so the next read opens it afresh.
 */
final class CounterFile implements Closeable {

  private final Path path;
  private FileChannel channel;
  private ByteBuffer buffer = ByteBuffer.allocate(1024);

  CounterFile(Path path) {
    this.path = path;
  }

  /** The file's one number. */
  long number() throws IOException {
    return counter(read().strip());
  }

  /** The value of its {@code name value} line, as in {@code memory.stat} or {@code cpu.stat}. */
  long field(String name) throws IOException {
    String text = read();
    int at = text.startsWith(name + " ") ? 0 : text.indexOf("\n" + name + " ");
    if (at < 0) {
      throw new IOException(path + " has no " + name + " line");
    }
    int start = text.indexOf(' ', at + 1) + 1;
    int end = text.indexOf('\n', start);
    return counter(text.substring(start, end < 0 ? text.length() : end).strip());
  }

  private String read() throws IOException {
    try {
      if (channel == null) {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      }
      buffer.clear();
      long position = 0;
      int n;
      while ((n = channel.read(buffer, position)) > 0) {
        position += n;
        if (!buffer.hasRemaining()) {
          buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
        }
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private long counter(String text) throws IOException {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw notACounter(text, e);
    }
    if (value < 0) {
      throw notACounter(text, null);
    }
    return value;
  }

  private IOException notACounter(String text, Throwable cause) {
    return new IOException(path + " holds '" + text + "' where a counter should be", cause);
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
