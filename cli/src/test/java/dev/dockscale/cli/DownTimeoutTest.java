package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code down} against an engine that takes connections and never answers: it gives up. */
class DownTimeoutTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void downGivesUpOnAnEngineThatNeverAnswersAndSaysWhatToDo() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("dockscale.yml"),
            "project: hung\nservices:\n  web:\n    image: app:1\n    replicas: { min: 1 }\n");
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket engine = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accepting =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 50; i++) {
                    held.add(engine.accept());
                  }
                } catch (IOException closed) {
                  // The test is over.
                }
              });
      accepting.setDaemon(true);
      accepting.start();
      System.setProperty("DOCKER_HOST", "tcp://127.0.0.1:" + engine.getLocalPort());
      try {
        CommandLineTest.Run run =
            CommandLineTest.dockscale("down", "--config", config.toString(), "--timeout", "2s");
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        assertThat(run.err())
            .contains("the Docker engine did not finish removing project hung within --timeout 2s")
            .contains("docker ps -a --filter label=dockscale.project=hung");
        assertThat(held).as("dockscale did reach the engine").isNotEmpty();
      } finally {
        System.clearProperty("DOCKER_HOST");
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void aTimeoutThatIsNotADurationIsRefusedNamingTheOption() {
    CommandLineTest.Run run = CommandLineTest.dockscale("down", "--timeout", "soon");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--timeout").contains("soon");
  }
}
