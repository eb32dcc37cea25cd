package dev.dockscale.balancer.nginx;

import java.io.IOException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * A request to nginx's loopback server is sent again once when its kept-alive connection had been
 * closed by nginx (on its last reload) and nothing came back; never after a timeout, a refused
 * connection or any answer. Probes and request-log reads are GETs (and DELETEs of files already
 * read), so sending one again does no harm.
 */
final class OnceOnAClosedConnection implements HttpRequestRetryStrategy {
  @Override
  public boolean retryRequest(
      HttpRequest request, IOException exception, int execCount, HttpContext context) {
    return execCount <= 1 && exception instanceof NoHttpResponseException;
  }

  @Override
  public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
    return false;
  }

  @Override
  public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
    return TimeValue.ZERO_MILLISECONDS;
  }
}
