package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dockscale status --watch} (the packaged jar) in a real terminal: a detached tmux pane of
 * 160x40, reading a stub API on 127.0.0.1 whose answer changes; no Docker. The pane's text is kept
 * in {@code target/status-watch.txt}.
 */
class StatusWatchIT {

  static final Path TMUX = Path.of("/usr/bin/tmux");
  static final Path JAR = Path.of("target/dockscale.jar");
  static final Duration WAIT = Duration.ofSeconds(30);

  static final String BEFORE =
      """
      [{"name": "web", "desired": 2, "min": 1, "max": 4, "paused": false, "pause": null,
        "override": null,
        "readings": {"cpu": 81.5, "memory": 31.0, "rps": 42.0, "latency": 38.0},
        "replicas": [{"name": "shop-web-1", "state": "ready", "cpu": 83.0, "memory": 31.2},
                     {"name": "shop-web-2", "state": "starting", "cpu": null, "memory": null}],
        "lastDecision": {"action": "scale-up",
                         "reason": "scale up: cpu 81.5% over 1 replica(s) by threshold(up 70, down 20, step 1) asks 2",
                         "at": "2026-01-01T12:00:03.250Z", "ageSeconds": 0.8},
        "problems": []}]
      """;

  static final String AFTER =
      """
      [{"name": "web", "desired": 3, "min": 1, "max": 4, "paused": true,
        "pause": {"at": "2026-01-01T12:00:09Z", "by": "api (127.0.0.1)"},
        "override": {"replicas": 3, "at": "2026-01-01T12:00:10Z", "until": "2026-01-01T12:10:10Z", "by": "api (127.0.0.1)"},
        "readings": {"cpu": 47.3, "memory": 28.6, "rps": 27.9, "latency": 21.0},
        "replicas": [{"name": "shop-web-1", "state": "ready", "cpu": 52.1, "memory": 29.0},
                     {"name": "shop-web-2", "state": "ready", "cpu": 42.5, "memory": 28.2},
                     {"name": "shop-web-3", "state": "starting", "cpu": null, "memory": null}],
        "lastDecision": {"action": "scale-up",
                         "reason": "override to 3 by api (127.0.0.1) at 2026-01-01T12:00:10Z, until 2026-01-01T12:10:10Z",
                         "at": "2026-01-01T12:00:10Z", "ageSeconds": 2.1},
        "problems": []}]
      """;

  @TempDir Path dir;

  @Test
  void watchRedrawsInPlaceWhenTheServicesChangeAndSaysSoWhenTheApiGoesAway() throws Exception {
    assumeTrue(Files.isExecutable(TMUX), "needs tmux at " + TMUX + " (apt-get install tmux)");
    assertThat(JAR).as("the packaged jar (mvn verify packages it first)").exists();
    AtomicReference<String> answer = new AtomicReference<>(BEFORE);
    HttpServer stub =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    stub.createContext(
        "/api/v1/services",
        exchange -> {
          byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stub.start();
    int port = stub.getAddress().getPort();
    Path config = config(port);
    // A tmux server of this test's own, its socket in the temp dir: no other tmux is touched.
    String socket = dir.resolve("tmux.sock").toString();
    String session = "status-watch";
    List<String> frames = new ArrayList<>();
    try {
      tmux(socket, "new-session", "-d", "-s", session, "-x", "160", "-y", "40");
      tmux(socket, "set-option", "-t", session, "remain-on-exit", "on");
      tmux(
          socket,
          "respawn-pane",
          "-k",
          "-t",
          session,
          String.join(
              " ",
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-jar",
              JAR.toAbsolutePath().toString(),
              "status",
              "--watch",
              "--replicas",
              "--interval",
              "500ms",
              "--config",
              config.toString()));

      String first = awaitPane(socket, session, "1/1/0/0", "81.5", "shop-web-2   starting");
      assertThat(first)
          .contains("dockscale status  127.0.0.1:" + port)
          .contains("NAME")
          .contains("LAST DECISION")
          .contains("scale-up 0s ago: scale up: cpu 81.5%");
      frames.add(first);

      answer.set(AFTER);
      String second = awaitPane(socket, session, "2/1/0/0", "47.3", "paused, override 3 until");
      assertThat(second).doesNotContain("81.5").doesNotContain("1/1/0/0");
      // The first answer's p95 (38) is gone from the service's row; the header's clock may read
      // :38.
      assertThat(second.lines().filter(l -> l.startsWith("web ")))
          .noneMatch(l -> l.contains(" 38 "));
      assertThat(second.lines().filter(l -> l.startsWith("dockscale status"))).hasSize(1);
      frames.add(second);

      stub.stop(0);
      String gone = awaitPane(socket, session, "no dockscale answers on 127.0.0.1:" + port);
      assertThat(gone.replace('\n', ' '))
          .as("the message, wrapped at spaces to the width")
          .contains("is 'dockscale run' running with api.listen set in " + config)
          .contains("trying again in")
          .doesNotContain("47.3");
      frames.add(gone);
    } finally {
      stub.stop(0);
      try {
        if (frames.size() < 3) {
          frames.add(pane(socket, session));
        }
        Files.writeString(Path.of("target/status-watch.txt"), String.join("\n----\n", frames));
      } finally {
        tmux(socket, "kill-session", "-t", session);
      }
    }
  }

  private Path config(int port) throws IOException {
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
        api:
          listen: %d
        """
            .formatted(port));
  }

  /** The pane's text once it shows every one of {@code wanted}. */
  private static String awaitPane(String socket, String session, String... wanted) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> pane(socket, session), p -> List.of(wanted).stream().allMatch(p::contains));
  }

  private static String pane(String socket, String session) throws IOException {
    return tmux(socket, "capture-pane", "-p", "-t", session).stripTrailing();
  }

  /** Runs tmux on the server at {@code socket}. */
  private static String tmux(String socket, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(TMUX.toString(), "-S", socket, "-f", "/dev/null"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("tmux " + String.join(" ", args) + " did not end within 10s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for tmux", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("tmux " + String.join(" ", args) + " failed: " + out.strip());
    }
    return out;
  }
}
