package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code state} and {@code api}: where state is kept, and the HTTP API. */
class StateAndApiConfigTest {

  private static final String SERVICES =
      "services:\n  web:\n    image: app:1\n    replicas: { min: 1, max: 4 }\n";
  private static final Path BASE = Path.of("/etc/dockscale");

  private static DockscaleConfig parse(String more) {
    return ConfigLoader.parse("t.yml", SERVICES + more, BASE);
  }

  private static String problems(String more) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigException.class, () -> parse(more))
        .getMessage();
  }

  @Test
  void stateIsKeptNextToTheConfigByDefaultAndTheApiIsOff() {
    DockscaleConfig c = parse("project: shop\n");
    assertThat(c.stateDir()).isEqualTo(Path.of("/etc/dockscale/.dockscale/shop"));
    assertThat(c.api()).isNull();
  }

  @Test
  void aRelativeStateDirIsTakenFromTheConfigsFolder() {
    assertThat(parse("state: { dir: var/ds }\n").stateDir())
        .isEqualTo(Path.of("/etc/dockscale/var/ds"));
    assertThat(parse("state: { dir: /var/lib/ds }\n").stateDir()).isEqualTo(Path.of("/var/lib/ds"));
  }

  @Test
  void aPortAloneListensOnLoopbackAndAnyOtherAddressMustBeWritten() {
    DockscaleConfig.ApiSpec api = parse("api: { listen: 9090 }\n").api();
    assertThat(api.listen().toString()).isEqualTo("127.0.0.1:9090");
    assertThat(api.listen().loopback()).isTrue();
    assertThat(api.token()).isNull();
    assertThat(parse("api: { listen: '0.0.0.0:9090' }\n").api().listen().loopback()).isFalse();
    assertThat(parse("api: { listen: 'localhost:9091' }\n").api().listen().toString())
        .isEqualTo("127.0.0.1:9091");
  }

  @Test
  void namesTheLineFieldAndFixOfABadApiOrState() {
    assertThat(problems("api: { listen: 'web:80' }\n"))
        .contains("line 5: api.listen: host 'web' must be an IPv4 address or localhost");
    assertThat(problems("api: { listen: 70000 }\n"))
        .contains("api.listen: port must be from 1 to 65535, got 70000");
    assertThat(problems("api: { listen: 9090, token: short }\n"))
        .contains("api.token: must be at least 16 printable characters")
        .contains("openssl rand -hex 16");
    assertThat(problems("api: { token: 0123456789abcdef0 }\n")).contains("api.listen: required");
    assertThat(problems("api: { listen: 9090, tokn: x }\n"))
        .contains("unknown key 'tokn' (did you mean 'token'?)");
    assertThat(problems("state: { dir: '' }\n")).contains("state.dir: must not be empty");
  }

  @Test
  void aGoodTokenIsKeptAsWritten() {
    assertThat(parse("api: { listen: 9090, token: 0123456789abcdef0 }\n").api().token())
        .isEqualTo("0123456789abcdef0");
  }

  @Test
  void theBalancersAddressIsCheckedAsBefore() {
    assertThatThrownBy(() -> parse("balancer: { listen: 8080 }\n"))
        .hasMessageContaining(
            "balancer.listen: '8080' is not host:port: write e.g. 127.0.0.1:8080");
  }
}
