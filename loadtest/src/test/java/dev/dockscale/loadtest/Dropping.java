package dev.dockscale.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers requests 1 .. n-1 of each connection and resets the connection on the n-th, unanswered,
 * until it has done so {@code maxDrops} times.
 */
final class Dropping implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread acceptor;
  private final long maxDrops;
  private final String beforeReset;
  // Each connection on a thread of its own: a client may keep one open while it opens another.
  private final ExecutorService connections =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "dropping-connection");
            t.setDaemon(true);
            return t;
          });
  final AtomicLong dropped = new AtomicLong();

  Dropping(int closeOn) throws IOException {
    this(closeOn, Long.MAX_VALUE);
  }

  /** Stops dropping after {@code maxDrops}. */
  Dropping(int closeOn, long maxDrops) throws IOException {
    this(closeOn, maxDrops, "");
  }

  /** Writes {@code beforeReset}, the start of an answer, before each reset. */
  Dropping(int closeOn, long maxDrops, String beforeReset) throws IOException {
    this.maxDrops = maxDrops;
    this.beforeReset = beforeReset;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  Socket c = socket.accept();
                  connections.execute(() -> serveAndClose(c, closeOn));
                } catch (IOException e) {
                  // Closed by the test: stop.
                }
              }
            },
            "dropping-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serveAndClose(Socket c, int closeOn) {
    try (c) {
      serve(c, closeOn);
    } catch (IOException e) {
      // Closed by the client: nothing to serve.
    }
  }

  private void serve(Socket c, int closeOn) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = c.getOutputStream();
    for (int n = 1; n <= 100; n++) {
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // The request's headers; a GET has no body.
      }
      if (line == null) {
        return;
      }
      if (n == closeOn && dropped.get() < maxDrops) {
        dropped.incrementAndGet();
        out.write(beforeReset.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        c.setSoLinger(true, 0);
        return;
      }
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Length: 14\r\nContent-Type: text/plain\r\n\r\n"
                  + "Hello from x!\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
  }

  @Override
  public void close() throws IOException {
    socket.close();
    connections.shutdownNow();
  }
}
