package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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
