package dev.dockscale.policy;

import java.time.Duration;
import java.util.regex.Pattern;

/** Durations as users write them: {@code 500ms}, {@code 15s}, {@code 5m}, {@code 1h}. */
public final class Durations {

  /** A plain decimal: Java's own parser would also take {@code 1d}, {@code 1f} and hex. */
  static final Pattern NUMBER =
      Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  private Durations() {}

  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms >= 60_000) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /**
   * Parses {@code 250ms}, {@code 1.5s}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is
   * seconds.
   */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase();
    double factorMs;
    String number;
    if (t.endsWith("ms")) {
      factorMs = 1;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      factorMs = 1000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factorMs = 60_000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      factorMs = 3_600_000;
      number = t.substring(0, t.length() - 1);
    } else {
      factorMs = 1000;
      number = t;
    }
    if (!NUMBER.matcher(number.trim()).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: write e.g. 500ms, 10s, 5m or 1h");
    }
    double value = Double.parseDouble(number.trim());
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("'" + text + "' is not a duration >= 0");
    }
    return Duration.ofMillis(Math.round(value * factorMs));
  }
}
