package dev.dockscale.cli;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.config.UnreadableFileException;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import dev.dockscale.simulator.Reports;
import dev.dockscale.simulator.SimulatedService;
import dev.dockscale.simulator.Simulator;
import dev.dockscale.simulator.Summary;
import dev.dockscale.simulator.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description = {
      "Replays a load trace through the decision core: what would each policy have done?",
      "Policies: classic, hpa, dockscale (presets, within the service's min/max), or config (the service's own)."
    })
final class SimulateCommand implements Callable<Integer> {

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(
      names = "--trace",
      required = true,
      description = "CSV with header t,demand (+ optional memory_mb)")
  Path trace;

  @Option(
      names = "--service",
      description = "the service to simulate (default: the first in the config)")
  String service;

  @Option(
      names = "--policy",
      description = "a policy to run; repeat to compare side by side (default: config)")
  List<String> policies = new ArrayList<>();

  @Option(
      names = "--out",
      required = true,
      description = "CSV of every decision: " + Reports.CSV_HEADER)
  Path out;

  @Option(
      names = "--report",
      description = "an HTML report with charts of demand, capacity and replicas")
  Path report;

  @Override
  public Integer call() {
    refuseToOverwriteAnInput();
    DockscaleConfig c = config.load();
    ServiceSpec s =
        service == null ? c.services().values().iterator().next() : c.services().get(service);
    if (s == null) {
      throw new ParameterException(
          spec.commandLine(),
          "no service '"
              + service
              + "' in "
              + config.file
              + "; it has "
              + String.join(", ", c.services().keySet()));
    }
    Trace t;
    try {
      t = Trace.read(trace);
    } catch (UnreadableFileException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("dockscale: " + e.getMessage());
      return 1;
    }
    List<String> names = policies.isEmpty() ? List.of("config") : policies;
    List<Simulator.Result> results = new ArrayList<>();
    for (String name : names) {
      ScalingPolicy policy;
      Duration interval = c.interval();
      if ("config".equals(name)) {
        policy = s.policy();
      } else {
        Preset preset =
            Preset.byKey(name)
                .orElseThrow(
                    () ->
                        new ParameterException(
                            spec.commandLine(),
                            "unknown policy '"
                                + name
                                + "': use config or one of "
                                + Preset.keys()));
        policy = ScalingPolicy.of(preset, s.policy().min(), s.policy().max());
        interval = preset.interval().orElse(interval);
      }
      results.add(Simulator.run(name, policy, interval, SimulatedService.of(s), t));
    }
    Reports.write(out, Reports.csv(results));
    if (report != null) {
      Reports.write(report, Reports.html(t, s.resources().cpus(), results));
    }
    List<Summary> summaries = results.stream().map(Simulator.Result::summary).toList();
    spec.commandLine().getOut().print(Reports.table(t.name(), summaries));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Refuses an {@code --out} or {@code --report} that is the config, the trace (also through a
   * symlink or a hard link) or a directory, or both the same file: writing it would destroy what
   * was read, or one report the other.
   */
  private void refuseToOverwriteAnInput() {
    Map<String, Path> outputs = new LinkedHashMap<>();
    outputs.put("--out", out);
    if (report != null) {
      outputs.put("--report", report);
    }
    Map<String, Path> inputs = new LinkedHashMap<>();
    inputs.put("the config (--config " + config.file + ")", config.file);
    inputs.put("the trace (--trace " + trace + ")", trace);
    if (report != null) {
      inputs.put("--out " + out, out);
    }
    outputs.forEach(
        (option, output) -> {
          if (Files.isDirectory(output)) {
            throw new ParameterException(
                spec.commandLine(), option + " " + output + " is a directory: name a file in it");
          }
          inputs.forEach(
              (what, input) -> {
                if (input != output && OutputFiles.same(output, input)) {
                  throw new ParameterException(
                      spec.commandLine(),
                      option
                          + " "
                          + output
                          + " is "
                          + what
                          + ": writing it would overwrite it; name another file");
                }
              });
        });
  }
}
