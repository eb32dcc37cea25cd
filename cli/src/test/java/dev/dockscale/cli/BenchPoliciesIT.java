package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.docker.Docker;
import dev.dockscale.engine.Labels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The policy benchmark, short: two policies under one 20 s step of Gatling's load through nginx.
 * Checks the report (a row per policy, figures in range, Gatling's report on disk) and that each
 * policy's project is gone afterwards; no figure is judged.
 */
class BenchPoliciesIT {

  @TempDir Path out;

  private final List<String> projects = new ArrayList<>();

  @Test
  void reportsARowPerPolicyWithGatlingsReportAndRemovesItsProjects() throws Exception {
    StringWriter printed = new StringWriter();
    CommandLine cli = new CommandLine(new BenchPoliciesCommand());
    cli.setOut(new PrintWriter(printed, true));
    int status =
        cli.execute(
            "--out",
            out.toString(),
            "--gatling",
            Path.of("..", "scripts", "gatling-run").toString(),
            "--policy",
            "classic",
            "--policy",
            "hpa",
            "--profile",
            "step:duration=20,t1=5,t2=15");
    System.out.println(printed);
    for (String policy : List.of("classic", "hpa")) {
      Path config = out.resolve(policy + ".yml");
      if (Files.exists(config)) {
        projects.add(project(Files.readString(config)));
      }
    }

    assertThat(status).isZero();
    List<String> lines = Files.readAllLines(out.resolve("report.csv"));
    assertThat(lines.get(0)).startsWith("profile,policy,seconds,container_seconds,requests");
    assertThat(lines).hasSize(3);
    List<String> policies = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertThat(f[0]).isEqualTo("step");
      policies.add(f[1]);
      assertThat(Double.parseDouble(f[2])).as("seconds of load").isPositive();
      assertThat(Double.parseDouble(f[3])).as("container-seconds").isPositive();
      assertThat(Long.parseLong(f[4])).as("requests").isPositive();
      assertThat(Double.parseDouble(f[5])).as("share within the SLO").isBetween(0.0, 1.0);
      for (int i = 6; i <= 10; i++) {
        assertThat(Long.parseLong(f[i])).as("figure " + i + " of " + line).isNotNegative();
      }
      assertThat(Path.of(f[11])).as("Gatling's report").exists().isRegularFile();
    }
    assertThat(policies).containsExactly("classic", "hpa");
    assertThat(Files.readString(out.resolve("report.md"))).contains("| step | classic |");
    assertThat(out.resolve("replicas-step.svg")).exists();
    assertThat(projects).hasSize(2);
    assertThat(leftOver()).as("containers left by the benchmark's projects").isEmpty();
  }

  private static String project(String yaml) {
    return yaml.lines()
        .filter(l -> l.startsWith("project: "))
        .findFirst()
        .orElseThrow()
        .substring("project: ".length())
        .trim();
  }

  private List<String> leftOver() throws Exception {
    List<String> left = new ArrayList<>();
    try (DockerClient docker = Docker.connect()) {
      for (String p : projects) {
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(Labels.PROJECT, p))
            .exec()
            .forEach(c -> left.add(c.getId()));
      }
    }
    return left;
  }

  /** Whatever a failed run left behind, by its projects' labels. */
  @AfterEach
  void removeLeftovers() throws Exception {
    try (DockerClient docker = Docker.connect()) {
      for (String p : projects) {
        for (var c :
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(Labels.PROJECT, p, Labels.MANAGED, "true"))
                .exec()) {
          docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        for (var n :
            docker
                .listNetworksCmd()
                .withFilter("label", List.of(Labels.PROJECT + "=" + p))
                .exec()) {
          docker.removeNetworkCmd(n.getId()).exec();
        }
      }
    }
  }
}
