package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.docker.ContainerExec;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.Images;
import dev.dockscale.engine.Balancer.Backend;
import dev.dockscale.engine.Balancer.Outcome;
import dev.dockscale.engine.Balancer.Route;
import dev.dockscale.engine.ReadinessProbe;
import dev.dockscale.engine.RuntimeUnavailableException;
import dev.dockscale.runtime.docker.DockerRuntime;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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
    Images images =
        new Images(
            docker,
            notice -> System.out.println("notice: " + notice),
            List.of(NginxBalancer.IMAGE));
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
    NginxBalancer again =
        new NginxBalancer(
            docker, new Images(docker, notice -> {}, List.of(NginxBalancer.IMAGE)), config);
    again.ensureRunning();
    assertThat(again.apply(none)).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void aConfigOfThousandsOfBackendsLargerThanOneArgumentIsWrittenWhole() {
    List<Backend> backends = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      backends.add(new Backend("web-" + i, "10.9." + (i / 250) + "." + (i % 250 + 1), 8000));
    }
    String rendered =
        NginxConfig.render(config.project(), List.of(new Route("web", "/", backends)));
    assertThat(rendered.length()).isGreaterThan(3 * NginxBalancer.PART);

    assertThat(balancer.applyConfig(rendered, "2,000 backends")).isEqualTo(Outcome.RELOADED);

    assertThat(balancer.currentConfig()).isEqualTo(rendered);
  }

  /** The balancer's container, once it routes {@code /} to no replica. */
  private String balancerRoutingNothing() {
    assertThat(balancer.apply(List.of(new Route("web", "/", List.of()))))
        .isEqualTo(Outcome.RELOADED);
    return docker
        .listContainersCmd()
        .withNameFilter(List.of(config.balancerName()))
        .exec()
        .get(0)
        .getId();
  }

  @Test
  void aConfigThatCouldNotBeWrittenIsRetriedNeverRememberedAsRejected() {
    String id = balancerRoutingNothing();
    // A directory where the next config is written: the write fails, nginx never judges it.
    assertThat(
            ContainerExec.run(docker, id, Duration.ofSeconds(10), "mkdir", NginxBalancer.NEXT).ok())
        .isTrue();
    String next =
        NginxConfig.render(config.project(), List.of(new Route("web", "/app", List.of())));

    assertThatThrownBy(() -> balancer.applyConfig(next, "unwritable"))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("could not be written");

    ContainerExec.run(docker, id, Duration.ofSeconds(10), "rmdir", NginxBalancer.NEXT);
    assertThat(balancer.applyConfig(next, "writable again")).isEqualTo(Outcome.RELOADED);
    assertThat(balancer.currentConfig()).isEqualTo(next);
  }

  @Test
  void aCheckThatCannotRunIsRetriedNeverRememberedAsRejected() {
    String id = balancerRoutingNothing();
    docker.pauseContainerCmd(id).exec();
    String next =
        NginxConfig.render(config.project(), List.of(new Route("web", "/app", List.of())));
    try {
      assertThatThrownBy(() -> balancer.applyConfig(next, "while paused"))
          .isInstanceOf(RuntimeUnavailableException.class)
          .hasMessageContaining("not running");
    } finally {
      docker.unpauseContainerCmd(id).exec();
    }
    assertThat(balancer.applyConfig(next, "after the pause")).isEqualTo(Outcome.RELOADED);
  }

  @Test
  void probesReachAnAppWithoutCurlByNameThroughTheLoopbackGateway() {
    String http = config.project() + "-web-1";
    String tcp = config.project() + "-web-2";
    startApp(http, "http");
    startApp(tcp, "tcp");
    assertThat(balancer.apply(List.of(new Route("web", "/", List.of()))))
        .isEqualTo(Outcome.RELOADED);
    NginxProbe probe = new NginxProbe(balancer::probePort);
    assertThat(balancer.probePort()).isPositive();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                probe.probe(target(http, "/healthz", false)).join().outcome()
                    == ReadinessProbe.Outcome.PASS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                probe.probe(target(tcp, "/", true)).join().outcome()
                    == ReadinessProbe.Outcome.PASS);
    assertThat(probe.probe(target(http, "/nope", false)).join().detail())
        .isEqualTo("GET /nope answered 404");
    assertThat(
            probe
                .probe(new ReadinessProbe.Target(http, 9, "/", true, Duration.ofSeconds(1)))
                .join()
                .outcome())
        .isEqualTo(ReadinessProbe.Outcome.FAIL);
    // Only this project's containers can be reached through its gateway.
    assertThat(probe.probe(target("elsewhere-web-1", "/", false)).join().outcome())
        .isEqualTo(ReadinessProbe.Outcome.UNKNOWN);
  }

  private static ReadinessProbe.Target target(String name, String path, boolean tcp) {
    return new ReadinessProbe.Target(name, 8000, path, tcp, Duration.ofSeconds(2));
  }

  private void startApp(String name, String mode) {
    String id =
        docker
            .createContainerCmd("dockscale-test/flask-app:2")
            .withName(name)
            .withLabels(
                java.util.Map.of(
                    "dockscale.managed", "true", "dockscale.project", config.project()))
            .withEnv("MODE=" + mode, "SERVER_NAME=" + name)
            .withHostConfig(
                com.github.dockerjava.api.model.HostConfig.newHostConfig()
                    .withNetworkMode(config.networkName()))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
  }
}
