package dev.dockscale.policy;

/**
 * How many replicas one step adds or removes: a fixed number, or a percentage of the current count
 * (rounded up, so a percentage step always moves by at least one replica).
 */
public record Change(double amount, boolean percent) {

  public Change {
    if (!(amount > 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("a step must be a number > 0, got " + amount);
    }
    if (!percent && amount != Math.rint(amount)) {
      throw new IllegalArgumentException(
          "a step in replicas must be a whole number, got " + amount);
    }
  }

  public static Change replicas(int n) {
    return new Change(n, false);
  }

  public static Change percent(double p) {
    return new Change(p, true);
  }

  /** Parses {@code 2} or {@code 50%}; a sign is not part of it. */
  public static Change parse(String text) {
    String trimmed = text.trim();
    boolean percent = trimmed.endsWith("%");
    String number = (percent ? trimmed.substring(0, trimmed.length() - 1) : trimmed).trim();
    if (!Durations.NUMBER.matcher(number).matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a step: write a whole number of replicas (2) or a percentage (50%)");
    }
    return new Change(Double.parseDouble(number), percent);
  }

  /** The number of replicas this step moves by, from {@code current}. */
  public int replicasFrom(int current) {
    if (!percent) {
      return (int) amount;
    }
    return Math.max(1, (int) Math.ceil(current * amount / 100.0));
  }

  @Override
  public String toString() {
    return percent ? fmt(amount) + "%" : fmt(amount);
  }

  static String fmt(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
