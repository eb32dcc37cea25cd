package dev.dockscale.api;

/**
 * A request the API answers with an error: its HTTP status, what is wrong and how to fix it, and
 * the field at fault ({@code null} when it is not one field).
 */
final class ApiException extends RuntimeException {

  private final int status;
  private final String field;

  ApiException(int status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  static ApiException badRequest(String field, String message) {
    return new ApiException(400, field, message);
  }

  int status() {
    return status;
  }

  String field() {
    return field;
  }

  /** The body every error has: {@code {"error": ..., "field": ...}} (field only when known). */
  record Body(String error, String field) {}

  Body body() {
    return new Body(getMessage(), field);
  }
}
