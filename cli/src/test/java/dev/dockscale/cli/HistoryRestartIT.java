package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dockscale run} as users start it, twice on one project: the second run's API shows the
 * decisions of the first, read back from the journal in the state dir, and the pause set through
 * the first run's API; and the second run changes nothing that was running.
 */
class HistoryRestartIT extends DockerIT {

  private static final Path JAR = Path.of("target/dockscale.jar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @TempDir Path dir;

  @Test
  void decisionsAndAPauseOfTheRunBeforeARestartAreStillInTheApi() throws Exception {
    String web = ItProject.service(1, 2, "preset: classic\n");
    project = ItProject.create("history", web);
    int apiPort = Waits.freePort();
    Path config =
        Files.writeString(
            dir.resolve("dockscale.yml"),
            ItProject.yaml(project.project, project.port, "  web:\n" + web)
                + "api:\n  listen: "
                + apiPort
                + "\nstate:\n  dir: "
                + dir.resolve("state")
                + "\n");
    URI decisions = URI.create("http://127.0.0.1:" + apiPort + "/api/v1/decisions?limit=500");

    List<String> firstRun;
    Process first = run(config);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> seqs(decisions).size() >= 3);
      firstRun = seqs(decisions);
      String token = Files.readString(dir.resolve("state/api-token")).strip();
      HttpResponse<String> paused =
          CLIENT.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + apiPort + "/api/v1/services/web/pause"))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    } finally {
      stop(first);
    }
    List<String> containers = project.containers();

    Process second = run(config);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> seqs(decisions).size() > firstRun.size());
      List<String> both = seqs(decisions);
      assertThat(both).as("the first run's decisions, read back").containsAll(firstRun);
      assertThat(both.get(0)).as("newest first, numbered on").isNotIn(firstRun);
      JsonNode service =
          JSON.readTree(
              CLIENT
                  .send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + apiPort + "/api/v1/services/web"))
                          .timeout(Duration.ofSeconds(2))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(service.get("paused").asBoolean())
          .as("the pause, taken back: %s", service)
          .isTrue();
    } finally {
      stop(second);
    }
    assertThat(project.containers()).containsExactlyInAnyOrderElementsOf(containers);
  }

  private static Process run(Path config) throws IOException {
    return new ProcessBuilder("java", "-jar", JAR.toString(), "run", "--config", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(config.resolveSibling("run-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  /**
   * SIGTERM, as Ctrl-C or {@code docker stop} would: the journal is closed by the shutdown hook.
   */
  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Each decision's number and time, newest first; empty while no dockscale answers. A run that did
   * not read the journal would number its own from 1 again, at other times.
   */
  private static List<String> seqs(URI uri) {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return List.of();
      }
      List<String> seqs = new ArrayList<>();
      for (JsonNode d : JSON.readTree(r.body()).get("decisions")) {
        seqs.add(d.get("seq").asLong() + "@" + d.get("decision").get("at").asText());
      }
      return seqs;
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }
}
