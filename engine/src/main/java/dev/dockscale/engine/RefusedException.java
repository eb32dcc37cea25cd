package dev.dockscale.engine;

/** A hand control refused for a value that cannot be taken, naming the field and the fix. */
public final class RefusedException extends IllegalArgumentException {

  private final String field;

  public RefusedException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
