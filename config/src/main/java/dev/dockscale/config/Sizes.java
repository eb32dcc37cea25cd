package dev.dockscale.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as Docker users write them: {@code 256m}, {@code 1g}, {@code 512MiB}, bytes. */
public final class Sizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

  private Sizes() {}

  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size: write e.g. 256m, 1g or 536870912");
    }
    double value = Double.parseDouble(m.group(1));
    long unit =
        switch (m.group(2)) {
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          case "t" -> 1L << 40;
          default -> 1L;
        };
    return Math.round(value * unit);
  }

  public static String format(long bytes) {
    if (bytes % (1L << 30) == 0 && bytes > 0) {
      return bytes / (1L << 30) + "g";
    }
    if (bytes % (1L << 20) == 0 && bytes > 0) {
      return bytes / (1L << 20) + "m";
    }
    if (bytes % (1L << 10) == 0 && bytes > 0) {
      return bytes / (1L << 10) + "k";
    }
    return Long.toString(bytes);
  }
}
