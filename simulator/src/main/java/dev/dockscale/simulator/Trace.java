package dev.dockscale.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A load trace: {@code t} seconds from the start, {@code demand} CPU cores of work offered from
 * that moment (step-interpolated: it holds until the next row), and optionally {@code memory_mb} of
 * memory in use across the service.
 */
public record Trace(String name, List<Point> points) {

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

  /** The row in force at {@code t}. */
  public Point at(double t) {
    Point current = points.get(0);
    for (Point p : points) {
      if (p.t() > t) {
        break;
      }
      current = p;
    }
    return current;
  }

  public static Trace read(Path file) throws IOException {
    return parse(file.getFileName().toString().replaceFirst("\\.csv$", ""), Files.readString(file));
  }

  /** Parses CSV with the header {@code t,demand} or {@code t,demand,memory_mb}. */
  public static Trace parse(String name, String csv) {
    List<String> lines = csv.lines().toList();
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
      String[] cells = line.split(",");
      int lineNo = i + 1;
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
      last = t;
      points.add(new Point(t, demand, mb));
    }
    if (!points.isEmpty() && points.get(0).t() != 0) {
      throw new IllegalArgumentException(name + " line 2: the first row must be at t=0");
    }
    return new Trace(name, points);
  }

  private static double number(String name, int line, String column, String cell) {
    try {
      double v = Double.parseDouble(cell.trim());
      if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name
              + " line "
              + line
              + ": "
              + column
              + " must be a number >= 0, got '"
              + cell.trim()
              + "'");
    }
  }
}
