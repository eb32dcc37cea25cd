package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Labels;
import dev.dockscale.loadtest.LoadGenerator;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockscale as a container: the image scripts/build-dockscale-image.sh builds, started by
 * docker-compose from the shipped {@code compose.yaml} under a unique compose project, with the
 * shipped {@code docker/compose/dockscale.yml} given a unique dockscale project and free loopback
 * ports. From inside its container it serves its API on the host's 127.0.0.1, reads the replicas'
 * cgroups and scales the sample backend under load; {@code docker-compose down} leaves the replicas
 * serving, and {@code docker-compose run --rm dockscale down} removes them. The compose project's
 * log is kept in {@code target/compose-it.log}. Prometheus, under its profile, is not started (its
 * image needs a registry).
 */
class ComposeIT {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

  @TempDir Path configDir;

  @Test
  void runsFromComposeServesItsApiOnLoopbackScalesUnderLoadAndLeavesReplicasToItsOwnDown()
      throws Exception {
    String project = "dsit-compose-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> composeCommand = compose(project);
    int lbPort = Waits.freePort();
    int apiPort = Waits.freePort();
    String yaml = config(project, lbPort, apiPort);
    Files.writeString(configDir.resolve("dockscale.yml"), yaml);
    DockscaleConfig config = ConfigLoader.parse(project + ".yml", yaml);

    boolean logKept = false;
    try (Stack stack = new Stack(config, notice -> System.out.println("notice: " + notice))) {
      try {
        String built =
            run(List.of("bash", ROOT.resolve("scripts/build-dockscale-image.sh").toString()));
        assertThat(built.lines().reduce((first, last) -> last))
            .as("the script's last line: the tag it built")
            .contains("dockscale/dockscale:latest");
        // The replicas' and the balancer's images, built here as the host would: the container
        // then finds them present.
        stack.prepareImages();
        run(concat(composeCommand, "up", "-d"));
        assertThat(composeServices(stack, project))
            .as("the compose project's containers: Prometheus only under its profile")
            .containsExactly("dockscale");

        ServicesClient api = new ServicesClient(config.api().listen(), configDir);
        URI healthz = URI.create("http://127.0.0.1:" + apiPort + "/healthz");
        URI lb = URI.create("http://127.0.0.1:" + lbPort);
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> Http.ok(healthz) && ready(api) == 1 && Http.ok(lb.resolve("/")));

        String replica = replicaIds(stack, project).get(0);
        Path cgroup = hostCgroupOf(replica);
        run(concat(composeCommand, "exec", "-T", "dockscale", "test", "-d", cgroup.toString()));

        long loadStart = System.nanoTime();
        try (LoadGenerator load =
            new LoadGenerator(
                    lb.resolve("/cpu?ms=50"), 6, () -> 6, Duration.ofSeconds(60), 1_000_000)
                .start()) {
          await()
              .atMost(Duration.ofSeconds(45))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> ready(api) >= 2 && load.byServer().size() >= 2);
          System.out.printf(
              "[figure] compose: load start -> second replica serving through nginx: %.1f s%n",
              (System.nanoTime() - loadStart) / 1e9);
          load.close();
          System.out.printf(
              "[figure] compose: %d ok, %d failed, %d sent once more, by replica %s%n",
              load.ok(), load.failed(), load.resent(), load.byServer());
          assertThat(load.failures())
              .as("non-2xx answers under load (no answer: %s)", load.noAnswerCauses())
              .isEmpty();
        }
        assertThat(replicaIds(stack, project)).hasSizeGreaterThanOrEqualTo(2);

        logKept = keepLog(composeCommand);
        run(concat(composeCommand, "down"));
        assertThat(Http.ok(lb.resolve("/")))
            .as("the balancer and replicas serve on after docker-compose down")
            .isTrue();
        run(
            concat(
                composeCommand,
                "run",
                "--rm",
                "-T",
                "dockscale",
                "down",
                "--config",
                "/etc/dockscale/dockscale.yml"));
        assertThat(labelled(stack, project))
            .as("labelled containers after dockscale down")
            .isEmpty();
      } finally {
        if (!logKept) {
          keepLog(composeCommand);
        }
        try {
          run(concat(composeCommand, "down", "-v"));
        } finally {
          stack.down();
        }
      }
    }
  }

  /** docker-compose on the shipped compose.yaml under {@code project}; skips without it. */
  static List<String> compose(String project) {
    Optional<Path> compose = onPath("docker-compose");
    assumeTrue(
        compose.isPresent(),
        "needs docker-compose on the PATH (apt-get install docker-compose, or scripts/ensure-test-tools.sh)");
    return List.of(
        compose.get().toString(), "-f", ROOT.resolve("compose.yaml").toString(), "-p", project);
  }

  /** The shipped config with this test's project and loopback ports. */
  static String config(String project, int lbPort, int apiPort) throws IOException {
    String shipped = Files.readString(ROOT.resolve("docker/compose/dockscale.yml"));
    String yaml =
        "project: "
            + project
            + "\n"
            + shipped
                .replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1:" + lbPort)
                .replace("listen: 127.0.0.1:9090", "listen: 127.0.0.1:" + apiPort);
    assertThat(yaml)
        .as("the shipped config's listen addresses, replaced")
        .contains("127.0.0.1:" + lbPort)
        .contains("127.0.0.1:" + apiPort);
    return yaml;
  }

  /** Ready replicas of {@code web} as the API answers them; 0 while it does not answer. */
  static long ready(ServicesClient api) {
    try {
      for (JsonNode service : api.services()) {
        if ("web".equals(service.path("name").asText())) {
          long n = 0;
          for (JsonNode r : service.path("replicas")) {
            n += "ready".equals(r.path("state").asText()) ? 1 : 0;
          }
          return n;
        }
      }
      return 0;
    } catch (ApiUnavailableException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  static List<String> replicaIds(Stack stack, String project) {
    return stack
        .docker()
        .listContainersCmd()
        .withLabelFilter(Map.of(Labels.PROJECT, project, Labels.ROLE, Labels.ROLE_REPLICA))
        .exec()
        .stream()
        .map(c -> c.getId())
        .toList();
  }

  /** The services of the compose project's containers (compose's own label), in any state. */
  static List<String> composeServices(Stack stack, String project) {
    return stack
        .docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("com.docker.compose.project", project))
        .exec()
        .stream()
        .map(c -> c.getLabels().get("com.docker.compose.service"))
        .toList();
  }

  static List<String> labelled(Stack stack, String project) {
    return stack
        .docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.PROJECT, project))
        .exec()
        .stream()
        .map(c -> c.getNames()[0])
        .toList();
  }

  /** The replica's cgroup directory on the host, in whichever layout the host has. */
  static Path hostCgroupOf(String id) {
    Path root = Path.of("/sys/fs/cgroup");
    return Stream.of(
            root.resolve("cpuacct/docker/" + id),
            root.resolve("cpu,cpuacct/docker/" + id),
            root.resolve("cpuacct/system.slice/docker-" + id + ".scope"),
            root.resolve("docker/" + id),
            root.resolve("system.slice/docker-" + id + ".scope"))
        .filter(Files::isDirectory)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cgroup of " + id + " under " + root));
  }

  /** Keeps the compose project's log (dockscale's) in target/compose-it.log; whether it could. */
  private boolean keepLog(List<String> composeCommand) {
    try {
      Files.writeString(
          Path.of("target/compose-it.log"), run(concat(composeCommand, "logs", "--no-color")));
      return true;
    } catch (IOException | RuntimeException e) {
      System.out.println("compose log not kept: " + e.getMessage());
      return false;
    }
  }

  /** Runs a command from the repository's root; its output, or an error with it. */
  private String run(List<String> command) throws IOException {
    File out = Files.createTempFile("compose-it", ".out").toFile();
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out);
      builder.environment().put("DOCKSCALE_CONFIG_DIR", configDir.toString());
      Process p = builder.start();
      boolean ended;
      try {
        ended = p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted running " + command, e);
      }
      String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
      if (!ended) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not end within " + COMMAND_TIMEOUT + ": " + output);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(out.toPath());
    }
  }

  private static List<String> concat(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
