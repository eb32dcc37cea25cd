package dev.dockscale.simulator;

import dev.dockscale.config.TextFile;
import dev.dockscale.config.UnreadableFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A load trace: {@code t} seconds from the start, {@code demand} CPU cores of work offered from
 * that moment (step-interpolated: it holds until the next row), and optionally {@code memory_mb} of
 * memory in use across the service.
 */
public record Trace(String name, List<Point> points) {

  /** The longest trace time: a week, simulated second by second, takes a while already. */
  public static final double MAX_SECONDS = 7 * 24 * 3600;

  /** The most rows a trace may have. */
  public static final int MAX_ROWS = 1_000_000;

  /** The largest trace file read. */
  public static final long MAX_BYTES = 50L << 20;

  /** The largest value of a cell: more cores or megabytes than any service has. */
  static final double MAX_VALUE = 1e9;

  private static final Pattern NUMBER =
      Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  /** One row of the trace. {@code memoryMb} is NaN when the trace has no memory column. */
  public record Point(double t, double demand, double memoryMb) {}

  public Trace {
    points = List.copyOf(points);
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          name + ": a trace needs at least one row after its header");
    }
  }

  public boolean hasMemory() {
    return !Double.isNaN(points.get(0).memoryMb());
  }

  /** The last row's time: the simulation runs until then. */
  public double end() {
    return points.get(points.size() - 1).t();
  }

  /** The row in force at {@code t} (the first row before it): a binary search, rows are by t. */
  public Point at(double t) {
    int low = 0;
    int high = points.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (points.get(mid).t() <= t) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return points.get(low);
  }

  /**
   * Reads a trace file (UTF-8, a leading BOM allowed, at most {@link #MAX_BYTES}).
   *
   * @throws UnreadableFileException when the file cannot be read, saying why
   * @throws IllegalArgumentException when it is not a trace, with the line
   */
  public static Trace read(Path file) {
    return parse(
        file.getFileName().toString().replaceFirst("\\.csv$", ""), TextFile.read(file, MAX_BYTES));
  }

  /** Parses CSV with the header {@code t,demand} or {@code t,demand,memory_mb}. */
  public static Trace parse(String name, String csv) {
    List<String> lines = (csv.startsWith("\uFEFF") ? csv.substring(1) : csv).lines().toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(
          name + ": empty trace; the first line must be the header t,demand");
    }
    String header = lines.get(0).trim().replace(" ", "");
    boolean memory;
    if (header.equals("t,demand")) {
      memory = false;
    } else if (header.equals("t,demand,memory_mb")) {
      memory = true;
    } else {
      throw new IllegalArgumentException(
          name
              + " line 1: the header must be t,demand or t,demand,memory_mb, got '"
              + lines.get(0)
              + "'");
    }
    List<Point> points = new ArrayList<>();
    double last = -1;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      int lineNo = i + 1;
      if (points.size() == MAX_ROWS) {
        throw new IllegalArgumentException(
            name
                + " line "
                + lineNo
                + ": more than "
                + MAX_ROWS
                + " rows; a trace needs a row only where the load changes");
      }
      if (cells.length != (memory ? 3 : 2)) {
        throw new IllegalArgumentException(
            name
                + " line "
                + lineNo
                + ": expected "
                + (memory ? 3 : 2)
                + " values, got '"
                + line
                + "'");
      }
      double t = number(name, lineNo, "t", cells[0]);
      double demand = number(name, lineNo, "demand", cells[1]);
      double mb = memory ? number(name, lineNo, "memory_mb", cells[2]) : Double.NaN;
      if (t <= last) {
        throw new IllegalArgumentException(
            name
                + " line "
                + lineNo
                + ": t must increase, got "
                + cells[0].trim()
                + " after "
                + last);
      }
      if (t > MAX_SECONDS) {
        throw new IllegalArgumentException(
            name
                + " line "
                + lineNo
                + ": t = "
                + cells[0].trim()
                + " s is past the 7-day limit of a trace ("
                + (long) MAX_SECONDS
                + " s); t is in seconds from the start");
      }
      if (points.isEmpty()) {
        if (t != 0) {
          throw new IllegalArgumentException(
              name + " line " + lineNo + ": the first row must be at t=0, got " + cells[0].trim());
        }
      }
      last = t;
      points.add(new Point(t, demand, mb));
    }
    return new Trace(name, points);
  }

  private static double number(String name, int line, String column, String cell) {
    String text = cell.trim();
    double v = NUMBER.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
    if (!(v >= 0 && v <= MAX_VALUE)) {
      throw new IllegalArgumentException(
          name
              + " line "
              + line
              + ": "
              + column
              + " must be a number from 0 to 1e9, got '"
              + text
              + "'");
    }
    return v;
  }
}
