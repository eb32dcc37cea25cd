package dev.dockscale.balancer.nginx;

import dev.dockscale.engine.ReadinessProbe;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Readiness probes through the balancer's probe gateway, a port nginx publishes on 127.0.0.1 only:
 * dockscale on the host never sends a packet to a container address, and nothing runs inside the
 * replica. An HTTP probe passes on a 2xx or 3xx answer to {@code GET path}; a TCP probe passes when
 * the replica accepts the connection. Without the gateway's marker header (the balancer is down or
 * not configured yet) a probe says nothing of the replica.
 *
 * <p>Probes are blocking requests on kept-alive connections, sent from a small pool of threads of
 * their own: a probe costs one request on an open connection and no thread or connection of its
 * own. (The JDK's {@code HttpClient} cost dockscale several times the CPU for the same probes here,
 * and its {@code sendAsync} hands each completion to {@code CompletableFuture}'s default executor,
 * which on a machine of two cores starts a thread per task.)
 */
public final class NginxProbe implements ReadinessProbe, AutoCloseable {

  static final String MARKER = "X-Dockscale-Probe";

  /** Probes in flight at once; a replica that hangs holds a sender for at most its timeout. */
  private static final int SENDERS = 16;

  private final IntSupplier gatewayPort;
  private final ExecutorService senders = senders();
  private final CloseableHttpClient http =
      HttpClients.custom()
          .setConnectionManager(
              PoolingHttpClientConnectionManagerBuilder.create()
                  .setMaxConnTotal(SENDERS)
                  .setMaxConnPerRoute(SENDERS)
                  .setDefaultConnectionConfig(
                      ConnectionConfig.custom()
                          .setConnectTimeout(Timeout.ofSeconds(1))
                          .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                          .build())
                  // A reply that is not HTTP (nginx relays a replica's greeting as it came) is an
                  // error at its first line, not skipped as garbage until the connection ends;
                  // a TCP probe takes that error for a pass.
                  .setConnectionFactory(
                      ManagedHttpClientConnectionFactory.builder()
                          .http1Config(Http1Config.custom().setMaxEmptyLineCount(1).build())
                          .build())
                  .build())
          .disableRedirectHandling()
          .setRetryStrategy(new OnceOnAClosedConnection())
          .disableCookieManagement()
          .disableAuthCaching()
          .disableContentCompression()
          .build();

  /** {@code gatewayPort} gives the gateway's current host port on 127.0.0.1 (0: none yet). */
  public NginxProbe(IntSupplier gatewayPort) {
    this.gatewayPort = gatewayPort;
  }

  @Override
  public CompletableFuture<Result> probe(Target target) {
    int port = gatewayPort.getAsInt();
    if (port <= 0) {
      return CompletableFuture.completedFuture(Result.unknown("the balancer is not running"));
    }
    String path =
        target.tcp()
            ? "/dockscale/tcp/" + target.name() + ":" + target.port()
            : "/dockscale/http/" + target.name() + ":" + target.port() + target.path();
    HttpGet request = new HttpGet("http://127.0.0.1:" + port + path);
    request.setConfig(
        RequestConfig.custom()
            .setResponseTimeout(Timeout.of(target.timeout()))
            .setConnectionRequestTimeout(Timeout.of(target.timeout()))
            .build());
    try {
      return CompletableFuture.supplyAsync(() -> send(target, request), senders)
          .exceptionally(e -> failed(target, e));
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.completedFuture(Result.unknown("the prober is closed"));
    }
  }

  private Result send(Target target, HttpGet request) {
    try {
      return http.execute(
          request,
          (ClassicHttpResponse response) -> {
            Header marker = response.getFirstHeader(MARKER);
            return judge(target, response.getCode(), marker == null ? null : marker.getValue());
          });
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  /** What an answer through the gateway says of the replica. */
  static Result judge(Target target, int status, String marker) {
    if (marker == null) {
      return Result.unknown("the probe gateway answered " + status + " without its marker");
    }
    String[] parts = marker.trim().split(" ");
    boolean connected = parts.length == 2 && !parts[1].equals("-");
    if (target.tcp()) {
      return connected
          ? Result.pass()
          : Result.fail("port " + target.port() + " refused the connection");
    }
    if (status >= 200 && status < 400) {
      return Result.pass();
    }
    if (!connected) {
      return Result.fail("port " + target.port() + " refused the connection");
    }
    return Result.fail("GET " + target.path() + " answered " + status);
  }

  private static Result failed(Target target, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ClientProtocolException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if ((cause instanceof MessageConstraintException || cause instanceof ProtocolException)
        && target.tcp()) {
      // The replica accepted and spoke first (not HTTP): nginx passed its bytes through.
      return Result.pass();
    }
    if (cause instanceof SocketTimeoutException) {
      return Result.timedOut("no answer within " + target.timeout().toMillis() + " ms");
    }
    if (cause instanceof ConnectException) {
      return Result.unknown("the probe gateway does not answer");
    }
    return Result.unknown(cause.toString());
  }

  @Override
  public void close() {
    senders.shutdownNow();
    http.close(CloseMode.IMMEDIATE);
  }

  private static ExecutorService senders() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            SENDERS,
            SENDERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "dockscale-probe-send");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
