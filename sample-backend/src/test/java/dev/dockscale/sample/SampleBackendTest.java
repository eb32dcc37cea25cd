package dev.dockscale.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SampleBackendTest {

  private SampleBackend backend;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    backend = new SampleBackend("flask1", 0, 4);
    backend.start();
  }

  @AfterEach
  void stop() {
    backend.stop(Duration.ZERO);
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + backend.port() + path);
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void greetsWithItsServerNameOnOneLine() throws Exception {
    HttpResponse<String> response = get("/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("Hello from flask1!\n");
  }

  @Test
  void burnsCpuForTheAskedTime() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = get("/cpu?ms=150");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void holdsMemoryAndAnswers() throws Exception {
    HttpResponse<String> response = get("/ram?mb=5&seconds=0");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("held 5 MB for 0 s on flask1");
  }

  @Test
  void rejectsAbsurdValuesWithA400NamingTheParameter() throws Exception {
    assertThat(get("/ram?mb=999999").statusCode()).isEqualTo(400);
    assertThat(get("/ram?mb=999999").body()).contains("mb must be from 1 to 2048");
    assertThat(get("/cpu?ms=abc").body()).contains("ms must be a whole number");
    assertThat(get("/ram?seconds=-1").statusCode()).isEqualTo(400);
  }

  @Test
  void answersHealthAndUnknownRoutes() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }
}
