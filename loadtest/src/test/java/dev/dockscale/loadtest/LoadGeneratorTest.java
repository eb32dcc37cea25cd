package dev.dockscale.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A closed-loop user: what counts as a failed request, and why it failed. */
class LoadGeneratorTest {

  @Test
  void aRequestWhoseKeptAliveConnectionIsResetUnderItIsSentAgainByTheClientNotCountedFailed()
      throws Exception {
    // Answers the first request of each connection and resets it on the second, unanswered: what
    // an old nginx worker's close of an idle kept-alive connection does to a request that arrived
    // at that moment (closed with unread bytes, the socket sends RST). The JDK's client sends such
    // a request again by itself; were that to change, the figures would count nginx's reloads as
    // failed requests, and this test says so.
    try (Dropping server = new Dropping(2)) {
      try (LoadGenerator load =
          new LoadGenerator(server.uri(), 1, () -> 1, Duration.ofSeconds(20), 20).start()) {
        awaitFinished(load);
        assertThat(load.ok()).isEqualTo(20);
        assertThat(load.failures()).isEmpty();
        assertThat(server.dropped).hasValueGreaterThan(5);
      }
    }
  }

  @Test
  void aRequestThatBreaksTwiceIsAFailureWithItsCause() throws Exception {
    // Resets every request unanswered.
    try (Dropping server = new Dropping(1)) {
      try (LoadGenerator load =
          new LoadGenerator(server.uri(), 1, () -> 1, Duration.ofSeconds(20), 3).start()) {
        awaitFinished(load);
        assertThat(load.ok()).isZero();
        assertThat(load.failures()).containsEntry(0, 3L);
        assertThat(load.noAnswerCauses()).isNotEmpty();
        assertThat(load.noAnswerCauses().values()).containsOnly(3L);
      }
    }
  }

  @Test
  void nothingListeningIsAFailureSaidAsSuch() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + port + "/");
    try (LoadGenerator load =
        new LoadGenerator(closed, 1, () -> 1, Duration.ofSeconds(20), 2).start()) {
      awaitFinished(load);
      assertThat(load.failures()).containsEntry(0, 2L);
      assertThat(load.noAnswerCauses().keySet()).allMatch(c -> c.startsWith("ConnectException"));
    }
  }

  private static void awaitFinished(LoadGenerator load) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(load::finished);
  }

  /** Answers requests 1 .. n-1 of each connection and resets the connection on the n-th. */
  private static final class Dropping implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    final AtomicLong dropped = new AtomicLong();

    Dropping(int closeOn) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket c = socket.accept()) {
                    serve(c, closeOn);
                  } catch (IOException e) {
                    // Closed by the test, or by the client: take the next connection.
                  }
                }
              },
              "dropping-server");
      acceptor.setDaemon(true);
      acceptor.start();
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
        if (n == closeOn) {
          dropped.incrementAndGet();
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
    }
  }
}
