package dev.dockscale.loadtest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * Which failed request is sent once more: a GET whose connection the server closed or reset before
 * a single byte of an answer.
 *
 * <p>An nginx reload closes every idle kept-alive connection of its old workers at once; a request
 * sent on one of them at that moment gets no answer. The JDK's client resends such a request, once,
 * on another pooled connection when it had one, and that one may be closing too; on a new
 * connection it does not resend at all. Browsers, Go's {@code net/http} and OkHttp resend a GET in
 * that case (RFC 9110, 9.2.2: idempotent requests may be retried), so the loads do the same, once
 * more, and count it apart ({@code resent}) instead of calling it a failed request. Nothing else is
 * resent: a refused connection, a timeout, a reset in the middle of an answer or any status code is
 * what it is.
 *
 * <p>The JDK says "header parser received no bytes" for exactly that case (in 11 through 25); were
 * it to change its words, nothing would be resent and the figures would count these again.
 */
final class Unanswered {

  private static final String NO_BYTES = "header parser received no bytes";

  private Unanswered() {}

  /** True when the server closed the connection before any byte of an answer to a GET. */
  static boolean closedBeforeAnswer(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof IOException
        && !(cause instanceof HttpTimeoutException)
        && !(cause instanceof ConnectException)
        && cause.getMessage() != null
        && cause.getMessage().contains(NO_BYTES);
  }
}
