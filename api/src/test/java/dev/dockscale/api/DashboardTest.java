package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's page and everything it loads are served by the API itself. */
class DashboardTest {

  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");

  final ManualClock clock = new ManualClock(ApiServerTest.T0);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  ApiServer server;
  String base;

  @BeforeEach
  void start() {
    server = new ApiServer(new FakeSteering(clock), ApiServerTest.TOKEN, clock);
    base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/dashboard"})
  void thePageAndEveryFileItLoadsAreServedFromThisDockscaleOnly(String path) throws Exception {
    HttpResponse<String> page = get(path);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(Dashboard.CONTENT_SECURITY_POLICY);
    assertThat(page.body()).doesNotContain("http:", "https:", "//cdn");

    Matcher m = ASSET.matcher(page.body());
    List<String> assets = m.results().map(r -> r.group(1)).toList();
    assertThat(assets)
        .contains("/dashboard/dashboard.js")
        .anyMatch(a -> a.startsWith("/webjars/uplot/"));
    for (String asset : assets) {
      HttpResponse<String> a = get(asset);
      assertThat(a.statusCode()).as(asset).isEqualTo(200);
      assertThat(a.body()).as(asset).isNotBlank();
    }
  }
}
