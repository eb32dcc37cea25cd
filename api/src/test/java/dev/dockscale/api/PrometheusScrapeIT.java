package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.engine.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scrapes the API on 127.0.0.1 and answers
 * a query for one of dockscale's series. Skipped, saying so, where Prometheus is not installed.
 */
class PrometheusScrapeIT {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  @TempDir Path dir;

  @Test
  void prometheusScrapesTheDesiredCountOfAService() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMETHEUS),
        "skipped: " + PROMETHEUS + " is not installed (Debian: apt-get install prometheus)");
    Instant now = Instant.now();
    FakeSteering steering = new FakeSteering(Clock.systemUTC());
    try (ApiServer api = new ApiServer(steering, ApiServerTest.TOKEN, Clock.systemUTC())) {
      int apiPort = api.start("127.0.0.1", 0);
      steering.pass(ApiServerTest.scaleUp(now), 80, FakeSteering.replica("p-web-1", true, now));
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global: { scrape_interval: 1s }\n"
              + "scrape_configs:\n"
              + "  - job_name: dockscale\n"
              + "    static_configs: [{ targets: ['127.0.0.1:"
              + apiPort
              + "'] }]\n");
      Process prometheus =
          new ProcessBuilder(
                  PROMETHEUS.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        String query = "dockscale_replicas_desired{service=\"web\"}";
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  JsonNode result = query(port, query).get("data").get("result");
                  assertThat(result).hasSize(1);
                  assertThat(result.get(0).get("value").get(1).asText()).isEqualTo("2");
                });
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static JsonNode query(int port, String promql) throws IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
