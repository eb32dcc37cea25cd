package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Balancer.Outcome;
import dev.dockscale.engine.Balancer.Route;
import dev.dockscale.runtime.docker.Docker;
import dev.dockscale.runtime.docker.DockerRuntime;
import dev.dockscale.runtime.docker.Images;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The balancer on a real nginx in a container: checked configs, graceful reloads, no needless ones.
 */
class NginxBalancerIT {

  private DockerClient docker;
  private DockerRuntime runtime;
  private DockscaleConfig config;
  private NginxBalancer balancer;
  private int port;

  @BeforeEach
  void start() throws Exception {
    docker = Docker.connect();
    Images images = new Images(docker, notice -> System.out.println("notice: " + notice));
    runtime = new DockerRuntime(docker, images, java.time.Clock.systemUTC());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String project = "dsit-lb-" + UUID.randomUUID().toString().substring(0, 6);
    config =
        ConfigLoader.parse(
            "t.yml",
            "project: "
                + project
                + "\nservices:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n"
                + "balancer:\n  listen: 127.0.0.1:"
                + port
                + "\n");
    runtime.ensureNetwork(config.project(), config.networkName());
    balancer = new NginxBalancer(docker, images, config);
    balancer.ensureRunning();
  }

  @AfterEach
  void removeProject() throws Exception {
    runtime.removeProject(config.project(), config.networkName());
    docker.close();
  }

  private HttpResponse<String> get() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void keepsPreviousConfigWhenNginxCheckFails() throws Exception {
    List<Route> none = List.of(new Route("web", "/", List.of()));
    assertThat(balancer.apply(none)).isEqualTo(Outcome.RELOADED);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> get().body().equals("no ready replica of web yet\n"));
    String good = balancer.currentConfig();

    Outcome outcome =
        balancer.applyConfig("events {}\nhttp { no_such_directive on; }\n", "a broken config");

    assertThat(outcome).isEqualTo(Outcome.REJECTED);
    assertThat(balancer.currentConfig()).isEqualTo(good);
    assertThat(get().statusCode()).isEqualTo(503);
    assertThat(get().body()).isEqualTo("no ready replica of web yet\n");
  }

  @Test
  void appliesTheSameRoutesOnlyOnce() {
    List<Route> none = List.of(new Route("web", "/", List.of()));
    assertThat(balancer.apply(none)).isEqualTo(Outcome.RELOADED);
    assertThat(balancer.apply(none)).isEqualTo(Outcome.UNCHANGED);

    // A second balancer object (a restarted dockscale) reads nginx's config and finds it current.
    NginxBalancer again = new NginxBalancer(docker, new Images(docker, notice -> {}), config);
    again.ensureRunning();
    assertThat(again.apply(none)).isEqualTo(Outcome.UNCHANGED);
  }
}
