package dev.dockscale.cli;

import static dev.dockscale.cli.CommandLineTest.dockscale;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.cli.CommandLineTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dockscale simulate} without Docker: outputs never overwrite inputs, trace errors. */
class SimulateCommandTest {

  @TempDir Path dir;
  Path config;
  Path trace;

  @BeforeEach
  void inputs() throws IOException {
    config = Files.copy(Path.of("../simulator/traces/reference.yml"), dir.resolve("reference.yml"));
    trace = Files.copy(Path.of("../simulator/traces/step.csv"), dir.resolve("step.csv"));
  }

  private Run simulate(Path out, Path report) {
    return report == null
        ? dockscale(
            "simulate",
            "-c",
            config.toString(),
            "--trace",
            trace.toString(),
            "--out",
            out.toString())
        : dockscale(
            "simulate",
            "-c",
            config.toString(),
            "--trace",
            trace.toString(),
            "--out",
            out.toString(),
            "--report",
            report.toString());
  }

  @Test
  void writesTheDecisionsAndTheReport() {
    Run run = simulate(dir.resolve("out/decisions.csv"), dir.resolve("out/report.html"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(dir.resolve("out/decisions.csv")).isNotEmptyFile();
    assertThat(dir.resolve("out/report.html")).isNotEmptyFile();
    assertThat(run.out()).contains("step");
  }

  @Test
  void refusesAnOutThatIsTheTraceAndLeavesTheTraceAlone() throws IOException {
    String before = Files.readString(trace);
    Run run = simulate(trace, null);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--out "
                + trace
                + " is the trace (--trace "
                + trace
                + "): writing it would overwrite it");
    assertThat(Files.readString(trace)).isEqualTo(before);
  }

  @Test
  void refusesAReportThatIsTheConfigThroughASymlink() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link.html"), config);
    String before = Files.readString(config);
    Run run = simulate(dir.resolve("out.csv"), link);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--report " + link + " is the config (--config " + config + ")");
    assertThat(Files.readString(config)).isEqualTo(before);
    assertThat(dir.resolve("out.csv")).doesNotExist();
  }

  @Test
  void refusesAnOutThatReachesTheTraceThroughADotDotPath() {
    Path sneaky = dir.resolve("sub/../step.csv");
    Run run = simulate(sneaky, null);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("is the trace");
  }

  @Test
  void refusesAnOutThatIsAHardLinkToTheTrace() throws IOException {
    Path hard = Files.createLink(dir.resolve("hard.csv"), trace);
    assertThat(simulate(hard, null).err()).contains("--out " + hard + " is the trace");
  }

  @Test
  void refusesTheSameNewFileForOutAndReport() {
    Path same = dir.resolve("same.csv");
    Run run = simulate(same, dir.resolve("./same.csv"));
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--report " + dir.resolve("./same.csv") + " is --out " + same);
    assertThat(same).doesNotExist();
  }

  @Test
  void refusesAnOutThatIsADirectory() {
    Run run = simulate(dir, null);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--out " + dir + " is a directory: name a file in it");
  }

  @Test
  void reportsATraceProblemWithItsLine() throws IOException {
    Files.writeString(trace, "t,demand\n0,1\n1e9,1\n");
    Run run = simulate(dir.resolve("out.csv"), null);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("dockscale: step line 3: t = 1e9 s is past the 7-day limit");
  }

  @Test
  void refusesBadKnobsInOneLineEach() {
    String c = config.toString();
    String t = trace.toString();
    assertThat(dockscale("simulate", "-c", c, "--trace", t, "--sweep", "startup=abc").err())
        .contains("'abc' is not a duration: write e.g. 500ms, 10s, 5m or 1h");
    assertThat(dockscale("simulate", "-c", c, "--trace", t, "--sweep", "colour=1,2").err())
        .contains("--sweep: unknown knob 'colour'; use one of startup, drain, burst");
    assertThat(dockscale("simulate", "-c", c, "--trace", t, "--burst", "150").err())
        .contains("burst share must be from 0 to below 1");
    assertThat(dockscale("simulate", "-c", c, "--held-out", "--trace", t).err())
        .contains("give either --trace FILE or --held-out (not both)");
    assertThat(dockscale("simulate", "-c", c, "--trace", t, "--policy", "hpa-tuend").err())
        .contains("unknown policy 'hpa-tuend': use one of config, static-peak");
  }

  @Test
  void saysWhenTheTraceIsMissing() throws IOException {
    Files.delete(trace);
    Run run = simulate(dir.resolve("out.csv"), null);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("dockscale: no such file: " + trace);
  }
}
