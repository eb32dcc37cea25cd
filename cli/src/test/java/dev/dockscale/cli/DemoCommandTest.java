package dev.dockscale.cli;

import static dev.dockscale.cli.CommandLineTest.dockscale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.cli.CommandLineTest.Run;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo's config and options, without Docker (every case here stops before it). */
class DemoCommandTest {

  private static final DockscaleConfig DEMO =
      ConfigLoader.parse("demo.yml", DemoCommand.demoYaml());

  @Test
  void theDemoYamlIsValidAndUsesTheHealthPath() {
    ServiceSpec web = DEMO.services().get("web");
    assertThat(web.health().path()).isEqualTo("/health");
    assertThat(web.policy().name()).isEqualTo("classic");
    assertThat(web.policy().rules()).hasSize(2);
  }

  @Test
  void keepsTheDemoYamlAsItIsForClassicOnTheDefaultAddress() {
    assertThat(DemoCommand.config("127.0.0.1:8080", Preset.CLASSIC)).isEqualTo(DEMO);
  }

  @Test
  void publishesTheBalancerWhereListenSays() {
    DockscaleConfig c = DemoCommand.config("localhost:9090", Preset.CLASSIC);
    assertThat(c.balancer().listen()).isEqualTo("127.0.0.1:9090");
    assertThat(c.balancer().image()).isEqualTo(DEMO.balancer().image());
    assertThat(c.services()).isEqualTo(DEMO.services());
  }

  @Test
  void givesAnotherPresetItsOwnRulesAndBehaviourWithinTheDemosMinAndMax() {
    DockscaleConfig c = DemoCommand.config("127.0.0.1:8080", Preset.HPA);
    ServiceSpec web = c.services().get("web");
    assertThat(web.policy()).isEqualTo(ScalingPolicy.of(Preset.HPA, 1, 4));
    assertThat(web.withPolicy(DEMO.services().get("web").policy()))
        .isEqualTo(DEMO.services().get("web"));
    assertThat(web.drain()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.interval()).isEqualTo(DEMO.interval());
  }

  @Test
  void refusesAListenThatIsNotHostAndPort() {
    assertThatThrownBy(() -> DemoCommand.config("999.1.1.1:80", Preset.CLASSIC))
        .hasMessageContaining("host '999.1.1.1' must be an IPv4 address or localhost");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--listen   | example.com:80 | --listen: host 'example.com' must be an IPv4 address or localhost",
        "--listen   | 127.0.0.1      | --listen: '127.0.0.1' is not host:port",
        "--listen   | 127.0.0.1:0    | --listen: port must be from 1 to 65535, got 0",
        "--preset   | fast           | --preset: unknown preset 'fast': use one of classic, hpa, dockscale",
        "--load     | soon           | --load: 'soon' is not a duration",
        "--users    | 0              | --users must be at least 1, got 0",
      })
  void refusesABadOptionWithAUsageErrorBeforeTouchingDocker(
      String option, String value, String message) {
    Run run = dockscale("demo", option, value);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith(message).contains("Usage: dockscale demo");
    assertThat(run.out()).isEmpty();
  }
}
