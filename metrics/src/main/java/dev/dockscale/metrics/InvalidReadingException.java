package dev.dockscale.metrics;

/** A metrics source delivered a reading that cannot be used (NaN, infinite, negative). */
public class InvalidReadingException extends IllegalArgumentException {
  public InvalidReadingException(String message) {
    super(message);
  }
}
