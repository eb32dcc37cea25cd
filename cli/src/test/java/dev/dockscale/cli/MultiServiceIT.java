package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several services on one balancer, as users run them: our sample backend on {@code /}, a Python
 * app that is not ours (no curl, no wget in its image) on {@code /api}, and a third whose image
 * does not exist. Load on the Python app scales it alone; the broken one stops nobody.
 */
class MultiServiceIT extends DockerIT {

  static final String FLASK = "dockscale-test/flask-app:2";

  @Test
  void servicesScaleApartAndABrokenOneStopsNeitherTheOthersNorTheBalancer() {
    project =
        ItProject.createServices(
            "multi",
            """
              web:
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.5, memory: 256m }
                health: { path: /health }
                replicas: { min: 1, max: 3 }
                scale: { preset: classic, cpu: { up: 70, down: 20 } }
                drain: 2s
              api:
                image: %s
                path: /api
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.25, memory: 128m }
                health: { path: /healthz }
                replicas: { min: 1, max: 3 }
                scale: { preset: classic, cpu: { up: 60, down: 10 }, cooldown: { up: 3s, down: 60s } }
                drain: 2s
              ghost:
                image: dockscale-test/no-such-image:1
                path: /ghost
                replicas: { min: 1, max: 2 }
            """
                .formatted(FLASK));
    project.startLoop();
    long start = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                project.settledAt("web", 1)
                    && project.settledAt("api", 1)
                    && Http.ok(project.url("/"))
                    && Http.ok(project.url("/api/healthz")));
    System.out.printf(
        "[figure] two services ready behind nginx (one without curl or wget): %.1f s%n",
        (System.nanoTime() - start) / 1e9);

    ServiceStatus ghost = project.status("ghost");
    assertThat(ghost.problems()).anyMatch(p -> p.contains("no-such-image"));
    assertThat(ghost.active()).isZero();

    AtomicLong webMax = new AtomicLong();
    long loadStart = System.nanoTime();
    try (LoadGenerator load =
        new LoadGenerator(
                project.url("/api/cpu?ms=40"), 4, () -> 4, Duration.ofSeconds(90), 1_000_000)
            .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                webMax.accumulateAndGet(project.status("web").active(), Math::max);
                return project.status("api").ready() >= 2 && load.byServer().size() >= 2;
              });
      System.out.printf(
          "[figure] load on /api -> second api replica serving: %.1f s%n",
          (System.nanoTime() - loadStart) / 1e9);
      project.awaitTicks(5);
      webMax.accumulateAndGet(project.status("web").active(), Math::max);
      load.close();
      assertThat(load.failures())
          .as("non-2xx answers on /api (no answer: %s)", load.noAnswerCauses())
          .isEmpty();
    }
    assertThat(webMax.get()).as("web replicas while only /api was loaded").isEqualTo(1);
    assertThat(Http.ok(project.url("/"))).isTrue();
    assertThat(project.status("ghost").problems()).anyMatch(p -> p.contains("no-such-image"));
    assertThat(project.containers()).noneMatch(n -> n.contains("-ghost-"));
  }
}
