package dev.dockscale.loadtest;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Which failed request is sent once more: one whose connection the server closed or reset before a
 * single byte of an answer. The loads send only GETs, which HTTP lets a client send again (RFC
 * 9110, 9.2.2).
 *
 * <p>An nginx reload closes every idle kept-alive connection of its old workers at once; a request
 * sent on one of them at that moment gets no answer. The JDK's client sends such a request again by
 * itself, once, and on a busy client the connection it takes for that may be closing too. Browsers,
 * Go's {@code net/http} and OkHttp send a GET again in that case, so the loads do, once more, on a
 * client kept for that (its connections serve only such second tries), and count it apart ({@code
 * resent}) instead of calling it a failed request. Nothing else is sent again: a refused
 * connection, a timeout, a reset in the middle of an answer or any status code is what it is.
 *
 * <p>The JDK says "header parser received no bytes" for exactly that case (17 and 25 were read);
 * were it to change its words, nothing would be sent again and the figures would count these as
 * failed again.
 */
final class Unanswered {

  private static final String NO_BYTES = "header parser received no bytes";

  private Unanswered() {}

  /** True when the server closed the connection before any byte of an answer. */
  static boolean closedBeforeAnswer(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof IOException
        && cause.getMessage() != null
        && cause.getMessage().contains(NO_BYTES);
  }

  /**
   * The request to send once more, with what is left of its timeout since it was first sent at
   * {@code firstSentNanos} ({@link System#nanoTime}); empty when nothing is left. A request without
   * a timeout is sent again as it is.
   */
  static Optional<HttpRequest> again(HttpRequest first, long firstSentNanos) {
    if (first.timeout().isEmpty()) {
      return Optional.of(first);
    }
    Duration left = first.timeout().get().minusNanos(System.nanoTime() - firstSentNanos);
    if (left.isNegative() || left.isZero()) {
      return Optional.empty();
    }
    return Optional.of(HttpRequest.newBuilder(first, (name, value) -> true).timeout(left).build());
  }
}
