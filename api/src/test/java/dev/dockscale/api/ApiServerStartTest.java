package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.policy.ManualClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting the API a config asks for: its token, its address, and a port already taken. */
class ApiServerStartTest {

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> notices = new ArrayList<>();

  private DockscaleConfig config(String api) {
    return ConfigLoader.parse(
        "t.yml",
        "services:\n  web:\n    image: app:1\n    replicas: { min: 1, max: 4 }\n"
            + "state: { dir: '"
            + dir
            + "' }\n"
            + api);
  }

  @Test
  void withoutATokenInTheConfigOneIsGeneratedAndItsFileNamed() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    try (ApiServer server =
        ApiServer.start(
            config("api: { listen: " + free + " }\n"),
            new FakeSteering(clock),
            clock,
            notices::add)) {
      assertThat(notices)
          .containsExactly(
              "api on http://127.0.0.1:"
                  + free
                  + "/api/v1; writes need the bearer token in "
                  + dir.resolve("api-token"));
      assertThat(dir.resolve("api-token")).exists();
    }
  }

  @Test
  void aPortAlreadyTakenIsRefusedSayingWhatToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      DockscaleConfig c =
          config("api: { listen: " + taken.getLocalPort() + ", token: 0123456789abcdef0123 }\n");
      assertThatThrownBy(() -> ApiServer.start(c, new FakeSteering(clock), clock, notices::add))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("api.listen 127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("choose a free port");
      assertThat(notices).isEmpty();
    }
  }
}
