package dev.dockscale.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** An HTTP server on 127.0.0.1 with a fixed number of worker threads, for load tests. */
final class FakeServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService workers;
  final AtomicLong requests = new AtomicLong();

  private FakeServer(int workers, HttpHandler handler) throws IOException {
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    this.workers = Executors.newFixedThreadPool(workers);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          try (exchange) {
            handler.handle(exchange);
          }
        });
    server.setExecutor(this.workers);
    server.start();
  }

  /** Answers 200 at once. */
  static FakeServer instant() throws IOException {
    return new FakeServer(2, exchange -> answer(exchange, 200));
  }

  /** Workers that take {@code millis} per request: a capacity of workers × 1000 / millis per s. */
  static FakeServer serving(int workers, long millis) throws IOException {
    return new FakeServer(
        workers,
        exchange -> {
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(exchange, 200);
        });
  }

  static FakeServer handling(int workers, HttpHandler handler) throws IOException {
    return new FakeServer(workers, handler);
  }

  static void answer(HttpExchange exchange, int status) throws IOException {
    byte[] body = "ok\n".getBytes();
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
