package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line as picocli runs it, without Docker: help, exit codes and messages. */
class CommandLineTest {

  /** One run of {@code dockscale args}: its exit code, stdout and stderr. */
  record Run(int code, String out, String err) {}

  static Run dockscale(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"run", "validate", "down", "status", "demo", "simulate"})
  void printsHelpForEverySubcommandAndExitsZero(String command) {
    Run run = dockscale(command, "--help");
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("Usage: dockscale " + command).contains("-h, --help");
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "validate", "down", "status", "demo", "simulate"})
  void printsTheVersionForEverySubcommand(String command) {
    Run run = dockscale(command, "--version");
    assertThat(run.code()).isZero();
    assertThat(run.out().strip()).isEqualTo(Main.VERSION);
  }

  @Test
  void everyCommandsHelpRendersWithoutAFormatWarning() {
    // picocli reads descriptions as format strings: a bare % is reported on System.err, not the
    // command's own stream, each time the usage is shown.
    java.io.PrintStream before = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String command : Main.commandLine().getSubcommands().keySet()) {
        assertThat(dockscale(command, "--help").code()).as(command).isZero();
      }
    } finally {
      System.setErr(before);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("Could not format");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "down"})
  void refusesALogFormatOtherThanTextOrJsonNamingBoth(String command) {
    Run run = dockscale(command, "--log-format", "xml");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--log-format").contains("text, json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../dockscale.yml", "../docker/compose/dockscale.yml"})
  void validatesTheShippedConfigs(String config) {
    Run run = dockscale("validate", "--config", config);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(config + " is valid")
        .contains("web: dockscale/sample-backend:latest");
  }

  @Test
  void validateSaysWhenCpuAndMemoryComeThroughPrometheus() throws Exception {
    Path config =
        java.nio.file.Files.writeString(
            dir.resolve("prom.yml"),
            "services:\n  web:\n    image: app:1\n    replicas: { min: 1, max: 2 }\n"
                + "metrics: { source: prometheus, prometheus: 'http://127.0.0.1:9090' }\n");
    Run run = dockscale("validate", "--config", config.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "metrics: CPU and memory through Prometheus at http://127.0.0.1:9090/ (rate over 10s,"
                + " stale after 15s)");
  }

  @Test
  void agentRefusesABadListenAddressOrCgroupRootNamingTheOption() {
    Run badListen = dockscale("agent", "--listen", "web:80");
    assertThat(badListen.code()).isEqualTo(2);
    assertThat(badListen.err()).contains("--listen").contains("web");
    Run noTree = dockscale("agent", "--cgroup-root", dir.resolve("nothing").toString());
    assertThat(noTree.code()).isEqualTo(2);
    assertThat(noTree.err()).contains("--cgroup-root").contains("no readable cgroup tree there");
  }

  @Test
  void validateNamesTheAbsolutePathOfAMissingConfigAndHowToNameAnother() {
    Run run = dockscale("validate", "--config", dir.resolve("nope.yml").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("no such file: " + dir.resolve("nope.yml"))
        .contains("name the config with --config FILE");
  }

  @Test
  void aMissingDefaultConfigSaysWhereItWasLookedFor() throws Exception {
    ConfigOption option = new ConfigOption();
    option.file = Path.of(ConfigOption.DEFAULT);
    org.assertj.core.api.Assertions.assertThatThrownBy(option::load)
        .hasMessageContaining("no such file: " + Path.of("dockscale.yml").toAbsolutePath())
        .hasMessageContaining("without it, dockscale reads dockscale.yml in the current directory");
  }

  @Test
  void validateSaysWhenTheConfigIsADirectory() {
    Run run = dockscale("validate", "--config", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains(dir + " is a directory, not a file");
  }
}
