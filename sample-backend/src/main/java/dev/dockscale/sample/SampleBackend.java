package dev.dockscale.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The web app that dockscale's demo and tests scale: {@code GET /} greets with the replica's name,
 * {@code /cpu} burns CPU, {@code /ram} holds memory, {@code /health} answers readiness.
 *
 * <p>Settings come from the environment: {@code SERVER_NAME} (default: the host name), {@code PORT}
 * (8000), {@code THREADS} (8) and {@code SHUTDOWN_GRACE} (seconds to finish in-flight requests on
 * SIGTERM, 10).
 */
public final class SampleBackend {

  static final int MAX_CPU_MS = 10_000;
  static final int MAX_RAM_MB = 2_048;
  static final int MAX_RAM_SECONDS = 300;

  private final String serverName;
  private final HttpServer server;
  private final ExecutorService pool;
  private final AtomicLong served = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();

  public SampleBackend(String serverName, int port, int threads) throws IOException {
    this.serverName = serverName;
    this.server = HttpServer.create(new InetSocketAddress(port), 128);
    this.pool = Executors.newFixedThreadPool(threads);
    server.setExecutor(pool);
    server.createContext("/", this::route);
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    String name = env.getOrDefault("SERVER_NAME", "");
    if (name.isBlank()) {
      name = InetAddress.getLocalHost().getHostName();
    }
    int port = intSetting(env, "PORT", 8000);
    int threads = intSetting(env, "THREADS", 8);
    int grace = intSetting(env, "SHUTDOWN_GRACE", 10);

    SampleBackend backend = new SampleBackend(name, port, threads);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> backend.stop(Duration.ofSeconds(grace))));
    backend.start();
    System.out.printf("sample-backend %s listening on :%d with %d threads%n", name, port, threads);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops taking connections, lets in-flight requests finish (up to {@code grace}), then exits. */
  public void stop(Duration grace) {
    System.out.printf(
        "sample-backend %s stopping after %d requests, %d in flight%n",
        serverName, served.get(), inFlight.get());
    // HttpServer.stop(delay) waits the whole delay even when idle: wait for in-flight work here.
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    pool.shutdownNow();
  }

  private void route(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "only GET is served\n");
        return;
      }
      URI uri = exchange.getRequestURI();
      Map<String, String> query = query(uri.getRawQuery());
      switch (uri.getPath()) {
        case "/" -> reply(exchange, 200, "Hello from " + serverName + "!\n");
        case "/health" -> reply(exchange, 200, "ok\n");
        case "/cpu" -> cpu(exchange, query);
        case "/ram" -> ram(exchange, query);
        default ->
            reply(exchange, 404, "no route " + uri.getPath() + "; try /, /cpu, /ram, /health\n");
      }
    } catch (BadRequest e) {
      reply(exchange, 400, e.getMessage() + "\n");
    } catch (RuntimeException | Error e) {
      reply(exchange, 500, "error: " + e + "\n");
    } finally {
      // Closed only here: a try-with-resources would close the exchange before the catch replies.
      exchange.close();
      served.incrementAndGet();
      inFlight.decrementAndGet();
    }
  }

  private void cpu(HttpExchange exchange, Map<String, String> query) throws IOException {
    int ms = bounded(query, "ms", 100, 0, MAX_CPU_MS);
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    double sink = 0;
    long rounds = 0;
    while (System.nanoTime() < until) {
      for (int i = 0; i < 1_000; i++) {
        sink += Math.sqrt(i + sink);
      }
      rounds++;
    }
    reply(
        exchange,
        200,
        "burned "
            + ms
            + " ms of CPU on "
            + serverName
            + " ("
            + rounds
            + " rounds, "
            + (long) sink % 10
            + ")\n");
  }

  private void ram(HttpExchange exchange, Map<String, String> query) throws IOException {
    int mb = bounded(query, "mb", 50, 1, MAX_RAM_MB);
    int seconds = bounded(query, "seconds", 10, 0, MAX_RAM_SECONDS);
    byte[][] held;
    try {
      held = new byte[mb][];
      for (int i = 0; i < mb; i++) {
        held[i] = new byte[1024 * 1024];
        // Touch every page so the memory is resident, not just reserved.
        for (int j = 0; j < held[i].length; j += 4096) {
          held[i][j] = (byte) j;
        }
      }
    } catch (OutOfMemoryError e) {
      held = null;
      System.gc();
      reply(exchange, 503, "could not allocate " + mb + " MB on " + serverName + "\n");
      return;
    }
    try {
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int checksum = 0;
    for (byte[] block : held) {
      checksum += block[4096];
    }
    held = null;
    // Give the memory back to the container so its usage falls when the load does.
    System.gc();
    reply(
        exchange,
        200,
        "held " + mb + " MB for " + seconds + " s on " + serverName + " (" + checksum + ")\n");
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      } else if (!pair.isEmpty()) {
        values.put(pair, "");
      }
    }
    return values;
  }

  static int bounded(Map<String, String> query, String key, int fallback, int min, int max) {
    String raw = query.get(key);
    if (raw == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new BadRequest(
          key + " must be a whole number from " + min + " to " + max + ", got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new BadRequest(key + " must be from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  private static int intSetting(Map<String, String> env, String key, int fallback) {
    String raw = env.get(key);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "environment variable " + key + " must be a whole number, got '" + raw + "'");
    }
  }

  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }
}
