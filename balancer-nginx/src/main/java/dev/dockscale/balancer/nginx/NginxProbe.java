package dev.dockscale.balancer.nginx;

import dev.dockscale.engine.ReadinessProbe;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Readiness probes through the balancer's probe gateway, a port nginx publishes on 127.0.0.1 only:
 * dockscale on the host never sends a packet to a container address, and nothing runs inside the
 * replica. An HTTP probe passes on a 2xx or 3xx answer to {@code GET path}; a TCP probe passes when
 * the replica accepts the connection. Without the gateway's marker header (the balancer is down or
 * not configured yet) a probe says nothing of the replica.
 *
 * <p>Probes are sent blocking, on kept-alive connections, from a small pool of threads of their
 * own: {@code HttpClient.sendAsync} hands every completion to {@code CompletableFuture}'s default
 * executor, which on a machine of two cores starts a new thread per task, a thread per probe.
 */
public final class NginxProbe implements ReadinessProbe, AutoCloseable {

  static final String MARKER = "X-Dockscale-Probe";

  /** Probes in flight at once; a replica that hangs holds a sender for at most its timeout. */
  private static final int SENDERS = 16;

  private final IntSupplier gatewayPort;
  private final ExecutorService senders = senders();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NEVER)
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
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(target.timeout())
            .GET()
            .build();
    return CompletableFuture.supplyAsync(() -> send(request), senders)
        .thenApply(
            response ->
                judge(
                    target,
                    response.statusCode(),
                    response.headers().firstValue(MARKER).orElse(null)))
        .exceptionally(e -> failed(target, e));
  }

  private HttpResponse<Void> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new CompletionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
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
    if (cause instanceof ProtocolException && target.tcp()) {
      // The replica accepted and spoke first (not HTTP): nginx passed its bytes through.
      return Result.pass();
    }
    if (cause instanceof HttpTimeoutException) {
      return Result.fail("no answer within " + target.timeout().toMillis() + " ms");
    }
    if (cause instanceof ConnectException) {
      return Result.unknown("the probe gateway does not answer");
    }
    return Result.unknown(cause.toString());
  }
}
