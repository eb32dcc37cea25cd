package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.engine.Json;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.policy.ReplicaView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API's routes against an in-memory steering, on a port of 127.0.0.1. */
class ApiServerTest {

  static final String TOKEN = "0123456789abcdef0123";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  final FakeSteering steering = new FakeSteering(clock);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  ApiServer server;
  String base;

  @BeforeEach
  void start() {
    server = new ApiServer(steering, TOKEN, clock);
    base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  record Answer(int status, JsonNode json, String text) {}

  Answer send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(5))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = Json.mapper().readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Answer(r.statusCode(), json, r.body());
  }

  Answer get(String path) throws Exception {
    return send("GET", path, null, null);
  }

  static Decision scaleUp(Instant at) {
    return Decision.scaleTo(
        at, 1, 1, 2, "scale up: cpu 90.0% asks 2", FakeSteering.cpuAt(90, 2), List.of(), List.of());
  }

  @ParameterizedTest
  @CsvSource({
    "POST, /api/v1/services/web/pause, ",
    "POST, /api/v1/services/web/resume, ",
    "PUT, /api/v1/services/web/override, '{\"replicas\": 3, \"ttl\": \"10m\"}'",
    "DELETE, /api/v1/services/web/override, "
  })
  void everyWriteNeedsTheBearerTokenAndAnswersAKnownService(String method, String path, String body)
      throws Exception {
    Answer missing = send(method, path, null, body);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().get("error").asText()).contains("Authorization: Bearer");
    assertThat(missing.json().get("field").asText()).isEqualTo("Authorization");

    Answer wrong = send(method, path, "not-" + TOKEN, body);
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(steering.calls).isEmpty();

    Answer unknown = send(method, path.replace("/web/", "/db/"), TOKEN, body);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).contains("no service 'db'");

    Answer ok = send(method, path, TOKEN, body);
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(steering.calls).hasSize(1);
  }

  @Test
  void aBasicOrEmptyAuthorizationIsNoBearerToken() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/services/web/pause"))
            .header("Authorization", "Basic " + TOKEN)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void pauseAndResumeSayWhoAskedAndShowInTheService() throws Exception {
    steering.pass(scaleUp(T0), 50, FakeSteering.replica("p-web-1", true, T0));
    Answer paused = send("POST", "/api/v1/services/web/pause", TOKEN, null);
    assertThat(paused.json().get("pause").get("by").asText()).isEqualTo("api (127.0.0.1)");
    assertThat(steering.calls).containsExactly("pause api (127.0.0.1)");

    Answer resumed = send("POST", "/api/v1/services/web/resume", TOKEN, null);
    assertThat(resumed.json().get("pause").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json | | the body must be a JSON object",
        "[3] | | the body must be a JSON object",
        "{\"ttl\": \"10m\"} | replicas | replicas must be a whole number",
        "{\"replicas\": 2.5, \"ttl\": \"10m\"} | replicas | replicas must be a whole number",
        "{\"replicas\": \"3\", \"ttl\": \"10m\"} | replicas | replicas must be a whole number",
        "{\"replicas\": 3} | ttl | ttl is required",
        "{\"replicas\": 3, \"ttl\": \"soon\"} | ttl | ttl:",
        "{\"replicas\": 9, \"ttl\": \"10m\"} | replicas | replicas 9 is outside 1 to 4",
        "{\"replicas\": 3, \"ttl\": \"10m\", \"tll\": \"1h\"} | tll | unknown field 'tll'",
        "{\"replicas\": 3, \"ttl\": 600} | ttl | ttl must be a duration string like \"10m\""
      })
  void aMalformedOverrideIs400NamingTheFieldAndChangesNothing(
      String body, String field, String error) throws Exception {
    Answer a = send("PUT", "/api/v1/services/web/override", TOKEN, body);
    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(a.json().get("error").asText()).contains(error);
    if (field == null) {
      assertThat(a.json().get("field").isNull()).isTrue();
    } else {
      assertThat(a.json().get("field").asText()).isEqualTo(field);
    }
    assertThat(steering.calls).isEmpty();
  }

  @Test
  void anOverrideIsShownWithItsCountAndExpiry() throws Exception {
    send("PUT", "/api/v1/services/web/override", TOKEN, "{\"replicas\": 3, \"ttl\": \"10m\"}");
    steering.pass(scaleUp(T0), 50, FakeSteering.replica("p-web-1", true, T0));
    JsonNode web = get("/api/v1/services/web").json();
    assertThat(web.get("override").get("replicas").asInt()).isEqualTo(3);
    assertThat(web.get("override").get("until").asText()).isEqualTo("2026-01-01T00:10:00Z");
    assertThat(
            send("DELETE", "/api/v1/services/web/override", TOKEN, null)
                .json()
                .get("override")
                .isNull())
        .isTrue();
  }

  @Test
  void aServiceShowsItsReplicasReadingsDesiredCountAndLastDecision() throws Exception {
    steering.pass(
        scaleUp(T0),
        80,
        FakeSteering.replica("p-web-1", true, T0),
        FakeSteering.replica("p-web-2", false, T0));
    clock.advance(Duration.ofSeconds(3));

    JsonNode web = get("/api/v1/services/web").json();
    assertThat(web.get("desired").asInt()).isEqualTo(2);
    assertThat(web.get("paused").asBoolean()).isFalse();
    assertThat(web.get("readings").get("cpu").asDouble()).isEqualTo(80.0);
    assertThat(web.get("replicas").get(0).get("state").asText()).isEqualTo("ready");
    assertThat(web.get("replicas").get(1).get("state").asText()).isEqualTo("starting");
    assertThat(web.get("replicas").get(0).get("memory").asDouble()).isEqualTo(30.0);
    assertThat(web.get("lastDecision").get("action").asText()).isEqualTo("scale-up");
    assertThat(web.get("lastDecision").get("ageSeconds").asDouble()).isEqualTo(3.0);
    assertThat(get("/api/v1/services").json().get(0).get("name").asText()).isEqualTo("web");

    Answer unknown = get("/api/v1/services/db");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText())
        .isEqualTo("no service 'db'; the services are web");
  }

  @Test
  void decisionsArePagedNewestFirstAndTheirParametersChecked() throws Exception {
    for (int i = 0; i < 5; i++) {
      steering.decide(scaleUp(T0.plusSeconds(i)));
    }
    JsonNode page = get("/api/v1/decisions?service=web&limit=2").json();
    assertThat(page.get("decisions")).hasSize(2);
    assertThat(page.get("decisions").get(0).get("seq").asLong()).isEqualTo(5);
    assertThat(page.get("decisions").get(0).get("decision").get("reason").asText())
        .contains("cpu 90.0%");
    long next = page.get("next").asLong();
    JsonNode second = get("/api/v1/decisions?limit=2&before=" + next).json();
    assertThat(second.get("decisions").get(0).get("seq").asLong()).isEqualTo(3);
    JsonNode since = get("/api/v1/decisions?since=2026-01-01T00:00:03Z").json();
    assertThat(since.get("decisions")).hasSize(2);

    Answer badLimit = get("/api/v1/decisions?limit=501");
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().get("field").asText()).isEqualTo("limit");
    assertThat(badLimit.json().get("error").asText()).contains("from 1 to 500");
    Answer badSince = get("/api/v1/decisions?since=yesterday");
    assertThat(badSince.status()).isEqualTo(400);
    assertThat(badSince.json().get("field").asText()).isEqualTo("since");
    assertThat(get("/api/v1/decisions?before=x").json().get("field").asText()).isEqualTo("before");
  }

  @Test
  void historyGivesTheLast15MinutesAsColumnsAveragedOverReadyReplicasWithTheScalesMarked()
      throws Exception {
    clock.advance(Duration.ofMinutes(20));
    Instant now = clock.instant();
    steering.decide(
        Decision.hold(now.minusSeconds(16 * 60), 1, 1, "hold", List.of(), List.of(), List.of()));
    List<ReplicaView> one =
        List.of(
            ReplicaView.of("a", T0, true, Map.of(Metric.CPU, 40.0, Metric.LATENCY, 120.0)),
            ReplicaView.of("b", T0, false, Map.of(Metric.CPU, 99.0)));
    steering.decide(Decision.hold(now.minusSeconds(600), 1, 1, "hold", List.of(), List.of(), one));
    List<ReplicaView> two =
        List.of(
            ReplicaView.of("a", T0, true, Map.of(Metric.CPU, 80.0, Metric.MEMORY, 30.0)),
            ReplicaView.of("c", T0, true, Map.of(Metric.CPU, 100.0)));
    steering.decide(
        Decision.scaleTo(
            now.minusSeconds(300),
            1,
            1,
            2,
            "scale up: cpu 90.0% asks 2",
            FakeSteering.cpuAt(90, 2),
            List.of(),
            two));

    Answer a = get("/api/v1/services/web/history");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    JsonNode h = a.json();
    assertThat(h.get("since").asText()).isEqualTo(now.minusSeconds(900).toString());
    assertThat(h.get("truncated").asBoolean()).isFalse();
    assertThat(h.get("t").toString())
        .isEqualTo(
            "["
                + now.minusSeconds(600).toEpochMilli()
                + ","
                + now.minusSeconds(300).toEpochMilli()
                + "]");
    assertThat(h.get("desired").toString()).isEqualTo("[1,2]");
    assertThat(h.get("ready").toString()).isEqualTo("[1,1]");
    assertThat(h.get("cpu").toString()).isEqualTo("[40.0,90.0]");
    assertThat(h.get("memory").toString()).isEqualTo("[null,30.0]");
    assertThat(h.get("rps").toString()).isEqualTo("[null,null]");
    assertThat(h.get("latency").toString()).isEqualTo("[120.0,null]");
    JsonNode scale = h.get("scales").get(0);
    assertThat(h.get("scales")).hasSize(1);
    assertThat(scale.get("seq").asLong()).isEqualTo(3);
    assertThat(scale.get("t").asLong()).isEqualTo(now.minusSeconds(300).toEpochMilli());
    assertThat(scale.get("action").asText()).isEqualTo("scale-up");
    assertThat(scale.get("from").asInt()).isEqualTo(1);
    assertThat(scale.get("to").asInt()).isEqualTo(2);
    assertThat(scale.get("reason").asText()).isEqualTo("scale up: cpu 90.0% asks 2");

    JsonNode since = get("/api/v1/services/web/history?since=" + now.minusSeconds(400)).json();
    assertThat(since.get("desired").toString()).isEqualTo("[2]");
  }

  @Test
  void historyOfAnUnknownServiceIs404AndAMalformedSinceIs400() throws Exception {
    steering.pass(scaleUp(T0), 50, FakeSteering.replica("p-web-1", true, T0));
    Answer unknown = get("/api/v1/services/db/history");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("field").asText()).isEqualTo("name");
    assertThat(unknown.json().get("error").asText())
        .isEqualTo("no service 'db'; the services are web");

    Answer badSince = get("/api/v1/services/web/history?since=yesterday");
    assertThat(badSince.status()).isEqualTo(400);
    assertThat(badSince.json().get("field").asText()).isEqualTo("since");
    assertThat(badSince.json().get("error").asText()).contains("write e.g. 2026-01-01T12:00:00Z");
    assertThat(get("/api/v1/services/web/history").json().get("t")).isEmpty();
  }

  @Test
  void decisionsOfAServiceNeitherConfiguredNorLoggedAre404() throws Exception {
    steering.decide(scaleUp(T0));
    Answer unknown = get("/api/v1/decisions?service=db");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("field").asText()).isEqualTo("service");
    assertThat(unknown.json().get("error").asText()).contains("no service 'db'");
    assertThat(get("/api/v1/decisions?service=web").status()).isEqualTo(200);
  }

  @Test
  void beforeTakesASequenceNumberPastTheRangeOfAnInt() throws Exception {
    steering.decide(scaleUp(T0));
    Answer a = get("/api/v1/decisions?before=3000000000");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(a.json().get("decisions")).hasSize(1);
  }

  @Test
  void anActionIsSpelledTheSameInDecisionsAndServices() throws Exception {
    steering.decide(scaleUp(T0));
    steering.pass(scaleUp(T0), 80, FakeSteering.replica("p-web-1", true, T0));
    JsonNode logged = get("/api/v1/decisions").json().get("decisions").get(0);
    assertThat(logged.get("decision").get("action").asText()).isEqualTo("scale-up");
    assertThat(get("/api/v1/services/web").json().get("lastDecision").get("action").asText())
        .isEqualTo("scale-up");
  }

  @Test
  void anInternalErrorSaysNothingOfItsCause() throws Exception {
    steering.failure = new IllegalStateException("cannot read /srv/secret/state");
    Answer a = get("/api/v1/services");
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.text()).doesNotContain("/srv/secret").contains("dockscale's log has the details");
  }

  @Test
  void healthAndPrometheusMetricsAnswerAtTheRoot() throws Exception {
    assertThat(get("/healthz").json().get("status").asText()).isEqualTo("ok");
    steering.decide(scaleUp(T0));
    steering.pass(scaleUp(T0), 80, FakeSteering.replica("p-web-1", true, T0));
    String text = get("/metrics").text();
    assertThat(text)
        .contains("dockscale_replicas_desired{service=\"web\"} 2.0")
        .contains("dockscale_replicas{service=\"web\",state=\"ready\"} 1.0")
        .contains("dockscale_reading{metric=\"cpu\",service=\"web\"} 80.0")
        .contains(
            "dockscale_decisions_total{action=\"scale-up\",reason=\"metrics\",service=\"web\"} 1.0")
        .contains("dockscale_tick_duration_seconds_count 1");
  }

  @Test
  void anUnknownRouteIsAJson404() throws Exception {
    Answer a = get("/api/v1/nothing");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().get("error").asText()).contains("no route GET /api/v1/nothing");
  }
}
