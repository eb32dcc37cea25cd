package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.engine.Balancer.Backend;
import dev.dockscale.engine.Balancer.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NginxConfigTest {

  /** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
  private static void assertGolden(String name, String rendered) throws IOException {
    if ("1".equals(System.getenv("UPDATE_GOLDEN"))) {
      Files.writeString(Path.of("src/test/resources/golden", name), rendered);
    }
    try (InputStream in = NginxConfigTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(rendered).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void rendersOneUpstreamPerServiceWithItsReadyReplicas() throws IOException {
    String conf =
        NginxConfig.render(
            "shop",
            List.of(
                new Route(
                    "web",
                    "/",
                    List.of(
                        new Backend("shop-web-1", "172.18.0.3", 8000),
                        new Backend("shop-web-2", "172.18.0.4", 8000))),
                new Route("api", "/api/", List.of(new Backend("shop-api-1", "172.18.0.5", 9000)))));
    assertGolden("two-services.conf", conf);
  }

  @Test
  void answers503ForAServiceWithNoReadyReplica() throws IOException {
    String conf = NginxConfig.render("shop", List.of(new Route("web", "/", List.of())));
    assertGolden("no-replica.conf", conf);
    assertThat(conf).doesNotContain("upstream dockscale_");
  }

  @Test
  void refusesValuesThatCouldInjectConfig() {
    assertThatThrownBy(
            () -> NginxConfig.render("shop", List.of(new Route("web", "/; }", List.of()))))
        .hasMessageContaining("not a URL path");
    assertThatThrownBy(
            () ->
                NginxConfig.render(
                    "shop",
                    List.of(new Route("web", "/", List.of(new Backend("x;y", "172.18.0.3", 80))))))
        .hasMessageContaining("replica name");
    assertThatThrownBy(
            () ->
                NginxConfig.render(
                    "shop",
                    List.of(
                        new Route("web", "/", List.of(new Backend("web-1", "172.18.0.300", 80))))))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(
            () ->
                NginxConfig.render(
                    "shop",
                    List.of(
                        new Route("web", "/", List.of(new Backend("web-1", "evil.example", 80))))))
        .hasMessageContaining("not an IPv4 address");
  }

  @Test
  void acceptsSwarmTaskNamesAndRefusesNamesThatCouldBreakTheConfig() {
    String task = "shop-web.3.v9dyvuf9qk47f7m5o3ovir1z9";
    assertThat(
            NginxConfig.render(
                "shop", List.of(new Route("web", "/", List.of(new Backend(task, "10.0.1.5", 80))))))
        .contains("server 10.0.1.5:80 max_fails=1 fail_timeout=2s;  # " + task);
    for (String bad : List.of("a.1.b\nserver", "web;", "web 1", "-web", "x".repeat(129))) {
      assertThatThrownBy(
              () ->
                  NginxConfig.render(
                      "shop",
                      List.of(new Route("web", "/", List.of(new Backend(bad, "10.0.1.5", 80))))))
          .as(bad)
          .hasMessageContaining("replica name");
    }
  }

  @Test
  void sameRoutesRenderTheSameText() {
    List<Route> routes =
        List.of(new Route("web", "/", List.of(new Backend("shop-web-1", "172.18.0.3", 8000))));
    assertThat(NginxConfig.render("shop", routes)).isEqualTo(NginxConfig.render("shop", routes));
  }
}
