package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pauses and overrides kept in the state dir across a restart, and what a restart takes back. */
class ControlsFileTest {

  private static final Instant NOW = Instant.parse("2026-11-27T04:00:00Z");

  @TempDir Path dir;

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final Map<String, ServiceSpec> services =
      Map.of("web", Fakes.service("web", "/", 1, 4), "api", Fakes.service("api", "/api", 1, 2));

  @Test
  void whatOneRunSetsTheNextRunTakesBack() {
    ControlsFile file = new ControlsFile(dir);
    Controls first = new Controls(clock, () -> services);
    first.onChange(file::save);
    first.pause("web", "api 127.0.0.1");
    first.override("api", 2, Duration.ofMinutes(10), "api 127.0.0.1");

    Controls second = new Controls(clock, () -> services);
    second.restore(new ControlsFile(dir).load());

    assertThat(second.current("web").paused()).isTrue();
    assertThat(second.current("web").pause().by()).isEqualTo("api 127.0.0.1");
    assertThat(second.current("api").override().replicas()).isEqualTo(2);
    assertThat(second.current("api").override().until()).isEqualTo(NOW.plusSeconds(600));
    assertThat(dir.resolve("controls.json.next")).doesNotExist();
  }

  @Test
  void aResumeOrAClearedOverrideIsGoneFromTheFile() {
    ControlsFile file = new ControlsFile(dir);
    Controls controls = new Controls(clock, () -> services);
    controls.onChange(file::save);
    controls.pause("web", "me");
    controls.resume("web", "me");

    assertThat(file.load()).isEmpty();
  }

  @Test
  void aRestartDropsWhatNoLongerHoldsAndSaysSo() {
    Control.Override expired =
        new Control.Override(2, NOW.minusSeconds(600), NOW.minusSeconds(1), "me");
    Control.Override outside = new Control.Override(4, NOW, NOW.plusSeconds(60), "me");
    Controls controls = new Controls(clock, () -> services);
    List<Map<String, Control>> written = new ArrayList<>();
    controls.onChange(written::add);

    controls.restore(
        Map.of(
            "web", new Control(new Control.Pause(NOW, "me"), expired),
            "api", new Control(null, outside),
            "gone", new Control(new Control.Pause(NOW, "me"), null)));

    assertThat(controls.current("web").paused()).isTrue();
    assertThat(controls.current("web").override()).isNull();
    assertThat(controls.current("api")).isEqualTo(Control.NONE);
    assertThat(written).hasSize(1);
    assertThat(written.get(0)).containsOnlyKeys("web");
  }

  @Test
  void noFileOrAnUnreadableOneIsNoControlsAndTheFileIsLeftAsItIs() throws IOException {
    assertThat(new ControlsFile(dir).load()).isEmpty();
    Path file = dir.resolve("controls.json");
    Files.writeString(file, "{\"web\": {\"pause\": {\"at\": \"yesterday\"}}}");

    Controls controls = new Controls(clock, () -> services);
    controls.onChange(new ControlsFile(dir)::save);
    controls.restore(new ControlsFile(dir).load());

    assertThat(controls.current("web")).isEqualTo(Control.NONE);
    assertThat(Files.readString(file)).contains("yesterday");

    Files.writeString(file, "{\"web\": {\"pause\": ");
    assertThat(new ControlsFile(dir).load()).isEmpty();
  }
}
