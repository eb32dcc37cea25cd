package dev.dockscale.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log on disk: one JSON object a line in {@code decisions.jsonl}, appended; past
 * {@code maxBytes} it is renamed {@code decisions.1.jsonl} (and that one {@code decisions.2.jsonl},
 * up to {@code rotated} files; the oldest is removed). Read back at start, oldest first: a line
 * that is not a decision (a crash cut it short, an edit) or longer than {@link #MAX_LINE} is
 * skipped with a warning naming the file and line; bytes that are not UTF-8 read as U+FFFD, so one
 * bad byte costs at most its line, never the rest of the file.
 *
 * <p>A running dockscale holds {@code decisions.lock} ({@link #lock}): two processes appending to
 * one journal would interleave their sequence numbers.
 */
public final class DecisionJournal implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionJournal.class);

  /** The size at which the current file is rotated, when not told. */
  public static final long DEFAULT_MAX_BYTES = 8L << 20;

  /** How many rotated files are kept beside the current one, when not told. */
  public static final int DEFAULT_ROTATED = 2;

  static final String NAME = "decisions";

  /** A line longer than this is no decision of ours (an edit, a stray file): skipped, not read. */
  static final int MAX_LINE = 1 << 20;

  private FileChannel lockChannel;

  private final Path dir;
  private final long maxBytes;
  private final int rotated;
  private BufferedWriter out;
  private long size;
  private boolean failing;

  public DecisionJournal(Path dir, long maxBytes, int rotated) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 1024, got " + maxBytes);
    }
    if (rotated < 0) {
      throw new IllegalArgumentException("rotated must be 0 or more, got " + rotated);
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.rotated = rotated;
  }

  public DecisionJournal(Path dir) {
    this(dir, DEFAULT_MAX_BYTES, DEFAULT_ROTATED);
  }

  Path file(int generation) {
    return dir.resolve(generation == 0 ? NAME + ".jsonl" : NAME + "." + generation + ".jsonl");
  }

  /**
   * What the files hold.
   *
   * @param decisions every decision read, oldest first
   * @param skipped a line for each that could not be read: file, line and why (also logged)
   */
  public record History(List<LoggedDecision> decisions, List<String> skipped) {
    public History {
      decisions = List.copyOf(decisions);
      skipped = List.copyOf(skipped);
    }
  }

  /** Every decision the files hold, oldest first; unreadable lines are skipped and logged. */
  public History load() {
    List<LoggedDecision> all = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int g = rotated; g >= 0; g--) {
      Path f = file(g);
      if (!Files.isRegularFile(f)) {
        continue;
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int n = 0;
        boolean tooLong = false;
        int b;
        do {
          b = in.read();
          if (b != '\n' && b != -1) {
            if (line.size() < MAX_LINE) {
              line.write(b);
            } else {
              tooLong = true;
            }
            continue;
          }
          if (b == -1 && line.size() == 0 && !tooLong) {
            break;
          }
          n++;
          if (tooLong) {
            String problem =
                f + ":" + n + ": skipped, longer than " + MAX_LINE + " bytes (no decision is)";
            LOG.warn(problem);
            skipped.add(problem);
          } else {
            // new String replaces bytes that are not UTF-8 with U+FFFD rather than failing.
            String text = new String(line.toByteArray(), StandardCharsets.UTF_8);
            if (!text.isBlank()) {
              read(f, n, text, all, skipped);
            }
          }
          line.reset();
          tooLong = false;
        } while (b != -1);
      } catch (IOException e) {
        String problem = f + ": cannot be read (" + e.getMessage() + "); its decisions are skipped";
        LOG.warn(problem);
        skipped.add(problem);
      }
    }
    return new History(all, skipped);
  }

  private static void read(
      Path f, int line, String text, List<LoggedDecision> into, List<String> skipped) {
    try {
      into.add(Json.mapper().readValue(text, LoggedDecision.class));
    } catch (JsonProcessingException | RuntimeException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      String problem = f + ":" + line + ": skipped, not a decision record (" + why + ")";
      LOG.warn(problem);
      skipped.add(problem);
    }
  }

  /**
   * Appends {@code d}, rotating first when the file would grow past the cap. A failure to write is
   * logged (once, until writing works again) and does not stop the loop.
   */
  public synchronized void append(LoggedDecision d) {
    try {
      String line = Json.mapper().writeValueAsString(d) + "\n";
      int bytes = line.getBytes(StandardCharsets.UTF_8).length;
      if (out == null) {
        open();
      }
      if (size > 0 && size + bytes > maxBytes) {
        rotate();
      }
      out.write(line);
      out.flush();
      size += bytes;
      if (failing) {
        LOG.info("{}: decisions are written again", file(0));
        failing = false;
      }
    } catch (IOException e) {
      closeQuietly();
      if (!failing) {
        LOG.warn("{}: decision not written ({}); tried again with the next", file(0), e.toString());
        failing = true;
      }
    }
  }

  private void open() throws IOException {
    Files.createDirectories(dir);
    Path f = file(0);
    boolean cutShort = endsWithoutNewline(f);
    out =
        Files.newBufferedWriter(
            f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(f);
    if (cutShort) {
      // A line a crash cut short stays a line of its own (skipped at load), not a prefix of ours.
      out.write('\n');
      size++;
    }
  }

  private static boolean endsWithoutNewline(Path f) throws IOException {
    if (!Files.isRegularFile(f) || Files.size(f) == 0) {
      return false;
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      raf.seek(raf.length() - 1);
      return raf.read() != '\n';
    }
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    if (rotated == 0) {
      Files.delete(file(0));
    } else {
      Files.deleteIfExists(file(rotated));
      for (int g = rotated - 1; g >= 0; g--) {
        if (Files.exists(file(g))) {
          Files.move(file(g), file(g + 1), StandardCopyOption.ATOMIC_MOVE);
        }
      }
    }
    open();
  }

  private void closeQuietly() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      LOG.debug("closing {}: {}", file(0), e.toString());
    } finally {
      out = null;
    }
  }

  /**
   * Takes the journal for this process: an exclusive lock on {@code decisions.lock} in the state
   * dir, held until {@link #close}.
   *
   * @throws IllegalStateException when another dockscale holds it (or it cannot be taken), naming
   *     the dir and what to do
   */
  public synchronized void lock() {
    Path file = dir.resolve(NAME + ".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "state dir "
                + dir
                + " is in use by another dockscale ("
                + file
                + " is locked): stop that one, or give this one another state.dir");
      }
      lockChannel = channel;
    } catch (IOException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw new IllegalStateException(
          "cannot lock " + file + " (" + e.getMessage() + "): make the state dir writable", e);
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
    if (lockChannel != null) {
      try {
        lockChannel.close();
      } catch (IOException e) {
        LOG.debug("releasing {}: {}", dir, e.toString());
      }
      lockChannel = null;
    }
  }
}
