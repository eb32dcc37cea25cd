package dev.dockscale.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as Docker users write them: {@code 256m}, {@code 1g}, {@code 512MiB}, bytes. */
public final class Sizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

  /** More digits than any size a long holds. */
  private static final int MAX_DIGITS = 30;

  private Sizes() {}

  /**
   * Parses {@code 256m}, {@code 1g}, {@code 512MiB}, {@code 1.5g} or a number of bytes. A size that
   * is not a whole number of bytes, or more than a {@code long} holds, is refused, never rounded.
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size: write e.g. 256m, 1g or 536870912");
    }
    long unit =
        switch (m.group(2)) {
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          case "t" -> 1L << 40;
          default -> 1L;
        };
    BigDecimal bytes =
        m.group(1).length() > MAX_DIGITS
            ? null
            : new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (bytes == null || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is more bytes than a size can hold: write e.g. 512m or 2g");
    }
    if (bytes.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is "
              + bytes.stripTrailingZeros().toPlainString()
              + " bytes, not a whole number: use a smaller unit, e.g. 1536k");
    }
    return bytes.longValueExact();
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
