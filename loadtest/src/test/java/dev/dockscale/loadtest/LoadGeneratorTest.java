package dev.dockscale.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
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
        assertThat(load.resent()).isZero();
        assertThat(server.dropped).hasValueGreaterThan(5);
      }
    }
  }

  @Test
  void aRequestResetUnansweredOnANewConnectionIsSentOnceMoreAndCountedApart() throws Exception {
    // Resets the first request of the first two connections: the JDK's client sends the request
    // again by itself, on a new connection, and that is reset too (as a second idle connection of
    // an nginx worker closing them all at once would be). The load sends it once more, and says so.
    try (Dropping server = new Dropping(1, 2)) {
      try (LoadGenerator load =
          new LoadGenerator(server.uri(), 1, () -> 1, Duration.ofSeconds(20), 5).start()) {
        awaitFinished(load);
        assertThat(load.ok()).isEqualTo(5);
        assertThat(load.failures()).isEmpty();
        assertThat(load.resent()).isEqualTo(1);
        assertThat(server.dropped).hasValue(2);
      }
    }
  }

  @Test
  void aRequestThatBreaksAgainWhenSentOnceMoreIsAFailureWithItsCause() throws Exception {
    // Resets every request unanswered: the load sends each twice, never a third time (and the
    // JDK's client tries each of those twice itself).
    try (Dropping server = new Dropping(1)) {
      try (LoadGenerator load =
          new LoadGenerator(server.uri(), 1, () -> 1, Duration.ofSeconds(20), 3).start()) {
        awaitFinished(load);
        assertThat(load.ok()).isZero();
        assertThat(load.failures()).containsEntry(0, 3L);
        assertThat(load.resent()).isEqualTo(3);
        assertThat(server.dropped.get()).isBetween(6L, 12L);
        assertThat(load.noAnswerCauses().keySet())
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("received no bytes");
      }
    }
  }

  @Test
  void aConnectionResetInTheMiddleOfAnAnswerIsAFailureNeverSentAgain() throws Exception {
    try (Dropping server = new Dropping(1, Long.MAX_VALUE, "HTTP/1.1 200 OK\r\n")) {
      try (LoadGenerator load =
          new LoadGenerator(server.uri(), 1, () -> 1, Duration.ofSeconds(20), 2).start()) {
        awaitFinished(load);
        assertThat(load.failures()).containsEntry(0, 2L);
        assertThat(load.resent()).isZero();
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
      assertThat(load.resent()).isZero();
    }
  }

  private static void awaitFinished(LoadGenerator load) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(load::finished);
  }
}
