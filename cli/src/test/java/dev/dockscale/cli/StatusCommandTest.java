package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.dockscale.cli.CommandLineTest.Run;
import dev.dockscale.engine.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dockscale status} against a stub API on 127.0.0.1, and without one. */
class StatusCommandTest {

  @TempDir Path dir;
  HttpServer stub;

  @AfterEach
  void stopStub() {
    if (stub != null) {
      stub.stop(0);
    }
  }

  /** A stub answering the n-th request (from 1) with {@code answer.apply(n)}: status and body. */
  int stub(IntFunction<Map.Entry<Integer, String>> answer) throws IOException {
    AtomicInteger requests = new AtomicInteger();
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    stub.createContext(
        "/api/v1/services",
        exchange -> {
          Map.Entry<Integer, String> a = answer.apply(requests.incrementAndGet());
          byte[] body = a.getValue().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(a.getKey(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stub.start();
    return stub.getAddress().getPort();
  }

  /** A valid config whose {@code api} block is {@code api} ("" for none). */
  Path config(String api) throws IOException {
    return Files.writeString(
        dir.resolve("dockscale.yml"),
        """
        services:
          web:
            image: dockscale/sample-backend:latest
            port: 8000
            replicas: { min: 1, max: 4 }
        balancer:
          listen: 127.0.0.1:8080
        """
            + api);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void printsTheTableFromTheApiAtApiListen() throws Exception {
    int port = stub(n -> Map.entry(200, StatusTableTest.SERVICES));

    Run run =
        CommandLineTest.dockscale(
            "status", "--config", config("api: { listen: " + port + " }\n").toString());

    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("NAME   REPLICAS   DESIRED   CPU %");
    assertThat(lines.get(1)).startsWith("web    1/1/0/1    2         81.5");
  }

  @Test
  void jsonPrintsTheApisDocumentOnOneLine() throws Exception {
    int port = stub(n -> Map.entry(200, StatusTableTest.SERVICES));

    Run run =
        CommandLineTest.dockscale(
            "status", "--json", "--config", config("api: { listen: " + port + " }\n").toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(1);
    JsonNode printed = Json.mapper().readTree(run.out());
    assertThat(printed).isEqualTo(Json.mapper().readTree(StatusTableTest.SERVICES));
  }

  @Test
  void saysNoDockscaleAnswersAndExitsOneWhenNothingListens() throws Exception {
    int port = freePort();
    Path config = config("api: { listen: " + port + " }\n");

    Run run = CommandLineTest.dockscale("status", "--config", config.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .isEqualTo(
            "dockscale: no dockscale answers on 127.0.0.1:"
                + port
                + " (connection refused; is 'dockscale run' running with api.listen set in "
                + config
                + "?)");
  }

  @Test
  void saysToSetApiListenAndExitsOneWhenTheConfigHasNone() throws Exception {
    Path config = config("");

    Run run = CommandLineTest.dockscale("status", "--config", config.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(config + " has no api.listen")
        .contains("add 'api: { listen: 9090 }'");
  }

  @Test
  void namesTheStatusAndTheApisErrorWhenItAnswersWithAnError() throws Exception {
    int port =
        stub(
            n -> Map.entry(404, "{\"error\": \"no route GET /api/v1/services\", \"field\": null}"));

    Run run =
        CommandLineTest.dockscale(
            "status", "--config", config("api: { listen: " + port + " }\n").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "127.0.0.1:"
                + port
                + " answered 404 to GET /api/v1/services: no route GET /api/v1/services");
  }

  @Test
  void watchKeepsTryingWhileTheApiFailsAndRedrawsInPlaceOnceItAnswers() throws Exception {
    int port =
        stub(
            n ->
                n == 1
                    ? Map.entry(503, "{\"error\": \"starting\"}")
                    : Map.entry(200, StatusTableTest.SERVICES));

    Run run =
        CommandLineTest.dockscale(
            "status",
            "--watch",
            "--count",
            "2",
            "--interval",
            "10ms",
            "--config",
            config("api: { listen: " + port + " }\n").toString());

    assertThat(run.code()).as(run.err()).isZero();
    String[] frames = run.out().split(java.util.regex.Pattern.quote(StatusCommand.HOME), -1);
    assertThat(frames).hasSize(3);
    assertThat(frames[0]).isEmpty();
    assertThat(frames[1])
        .contains("dockscale status  127.0.0.1:" + port)
        .contains("answered 503 to GET /api/v1/services: starting")
        .contains("trying again in 20ms")
        .endsWith(StatusCommand.CLEAR_LINE + "\n" + StatusCommand.CLEAR_DOWN);
    assertThat(frames[2]).contains("web    1/1/0/1").doesNotContain("answered 503");
  }

  @Test
  void watchJsonPrintsOneDocumentPerRefresh() throws Exception {
    int port = stub(n -> Map.entry(200, "[{\"name\": \"web\", \"desired\": " + n + "}]"));

    Run run =
        CommandLineTest.dockscale(
            "status",
            "--watch",
            "--json",
            "--count",
            "3",
            "--interval",
            "10ms",
            "--config",
            config("api: { listen: " + port + " }\n").toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines().map(l -> l.replaceAll("\\s", "")))
        .containsExactly(
            "[{\"name\":\"web\",\"desired\":1}]",
            "[{\"name\":\"web\",\"desired\":2}]",
            "[{\"name\":\"web\",\"desired\":3}]");
  }

  @Test
  void refusesCountWithoutWatchAndAnIntervalUnderTenMilliseconds() throws Exception {
    String config = config("api: { listen: 9090 }\n").toString();

    Run count = CommandLineTest.dockscale("status", "--count", "2", "--config", config);
    Run interval =
        CommandLineTest.dockscale("status", "--watch", "--interval", "1ms", "--config", config);

    assertThat(count.code()).isEqualTo(2);
    assertThat(count.err())
        .contains("--count takes a number of refreshes from 1, and only with --watch");
    assertThat(interval.code()).isEqualTo(2);
    assertThat(interval.err()).contains("--interval must be at least 10ms");
  }

  @Test
  void backoffDoublesUpToTenSecondsOrTheInterval() {
    Duration s = Duration.ofSeconds(1);
    assertThat(StatusCommand.backoff(s, s)).isEqualTo(Duration.ofSeconds(2));
    assertThat(StatusCommand.backoff(Duration.ofSeconds(8), s)).isEqualTo(Duration.ofSeconds(10));
    assertThat(StatusCommand.backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void wrapsAMessageAtSpacesToTheWidth() {
    assertThat(
            StatusCommand.wrap("no dockscale answers on 127.0.0.1:9090 (connection refused)", 24))
        .containsExactly("no dockscale answers on", "127.0.0.1:9090", "(connection refused)");
    assertThat(StatusCommand.wrap("a-word-longer-than-the-width", 10))
        .containsExactly("a-word-longer-than-the-width");
  }

  @Test
  void widthIsColumnsOr120() {
    assertThat(StatusCommand.width(Map.of("COLUMNS", "200"))).isEqualTo(200);
    assertThat(StatusCommand.width(Map.of())).isEqualTo(120);
    assertThat(StatusCommand.width(Map.of("COLUMNS", "wide"))).isEqualTo(120);
    assertThat(StatusCommand.width(Map.of("COLUMNS", "10"))).isEqualTo(StatusCommand.MIN_WIDTH);
  }
}
