package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/events}: a client sees the decisions and ticks as they happen. */
class EventStreamTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final FakeSteering steering = new FakeSteering(clock);
  private final ApiServer server = new ApiServer(steering, ApiServerTest.TOKEN, clock);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aClientSeesDecisionsAndTicksAsTheyHappen() {
    int port = server.start("127.0.0.1", 0);
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().forEach(lines::add));
    Decision d = ApiServerTest.scaleUp(T0);

    // Events before the client joined are not replayed: send until one arrives.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              steering.decide(d);
              steering.pass(d, 80, FakeSteering.replica("p-web-1", true, T0));
              assertThat(lines).contains("event: decision", "event: tick");
            });
    assertThat(lines)
        .anyMatch(l -> l.startsWith("data: ") && l.contains("\"reason\":\"scale up: cpu 90.0%"))
        .anyMatch(l -> l.startsWith("data: {\"services\":[{\"name\":\"web\",\"ready\":1"));
  }

  /** Opens the stream on a raw socket that reads its status line and then nothing more. */
  private static Socket stalledClient(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    socket
        .getOutputStream()
        .write(
            ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private static String statusLine(Socket socket) throws IOException {
    StringBuilder line = new StringBuilder();
    InputStream in = socket.getInputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString().trim();
  }

  private List<String> follow(int port) {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().forEach(lines::add));
    return lines;
  }

  @Test
  void aClientThatStopsReadingDoesNotStarveTheOthers() throws Exception {
    int port = server.start("127.0.0.1", 0);
    try (Socket stalled = stalledClient(port)) {
      assertThat(statusLine(stalled)).contains("200");
      List<String> lines = follow(port);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () -> {
                steering.decide(ApiServerTest.scaleUp(T0));
                assertThat(lines).contains("event: decision");
              });
      // Far more than the stalled client's socket holds: its writes block from here on.
      String big = "x".repeat(256 * 1024);
      for (int i = 0; i < 100; i++) {
        steering.decide(
            Decision.scaleTo(T0, 1, 1, 2, big, FakeSteering.cpuAt(90, 2), List.of(), List.of()));
      }
      steering.decide(
          Decision.scaleTo(
              T0, 1, 1, 2, "the last one", FakeSteering.cpuAt(90, 2), List.of(), List.of()));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(lines).anyMatch(l -> l.contains("the last one")));
    }
  }

  @Test
  void pastTheMostClientsTheNextIsAnswered503() throws Exception {
    int port = server.start("127.0.0.1", 0);
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < EventStream.MAX_CLIENTS; i++) {
        Socket s = stalledClient(port);
        clients.add(s);
        assertThat(statusLine(s)).contains("200");
      }
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                      .header("Accept", "text/event-stream")
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("at most " + EventStream.MAX_CLIENTS + " clients");
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
  }

  @Test
  void withoutAcceptingAnEventStreamTheAnswerSaysWhatToSend() throws Exception {
    int port = server.start("127.0.0.1", 0);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(406);
    assertThat(r.body()).contains("Accept: text/event-stream");
  }
}
