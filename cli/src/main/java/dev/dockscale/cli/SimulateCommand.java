package dev.dockscale.cli;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.config.UnreadableFileException;
import dev.dockscale.simulator.Baselines;
import dev.dockscale.simulator.Charts;
import dev.dockscale.simulator.Comparison;
import dev.dockscale.simulator.Contender;
import dev.dockscale.simulator.Evaluation;
import dev.dockscale.simulator.Pipeline;
import dev.dockscale.simulator.Reports;
import dev.dockscale.simulator.SimulatedService;
import dev.dockscale.simulator.Simulator;
import dev.dockscale.simulator.Summary;
import dev.dockscale.simulator.Trace;
import dev.dockscale.simulator.Tuner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
      "Replays a load trace through the decision core: what would each policy have done, at what cost?",
      "Policies: config (the service's own), static-peak, classic, hpa, hpa-tuned (tuned on the"
          + " training traces first), dockscale, dockscale-cpu (dockscale's preset without the"
          + " balancer's readings).",
      "--held-out instead runs every policy on the held-out traces (docs/policies.md)."
    })
final class SimulateCommand implements Callable<Integer> {

  static final List<String> POLICIES =
      List.of("config", "static-peak", "classic", "hpa", "hpa-tuned", "dockscale", "dockscale-cpu");

  @Mixin ConfigOption config;
  @Mixin ModelOptions model;
  @Spec CommandSpec spec;

  @Option(names = "--trace", description = "CSV with header t,demand (+ optional memory_mb)")
  Path trace;

  @Option(
      names = "--held-out",
      description = "tune on the training traces, then compare every policy on the held-out ones")
  boolean heldOut;

  @Option(
      names = "--service",
      description = "the service to simulate (default: the first in the config)")
  String service;

  @Option(
      names = "--policy",
      description = "a policy to run; repeat to compare side by side (default: config)")
  List<String> policies = new ArrayList<>();

  @Option(names = "--out", description = "CSV of every decision: " + Reports.CSV_HEADER)
  Path out;

  @Option(
      names = "--report",
      description = "an HTML report with charts of demand, capacity and replicas")
  Path report;

  @Option(
      names = "--charts",
      description = "a directory to write SVG charts into (created if missing)")
  Path charts;

  @Override
  public Integer call() {
    if (heldOut == (trace != null)) {
      throw new ParameterException(
          spec.commandLine(), "give either --trace FILE or --held-out (not both)");
    }
    if (heldOut && (out != null || report != null || !policies.isEmpty())) {
      throw new ParameterException(
          spec.commandLine(),
          "--held-out runs every policy on every held-out trace: drop --out, --report and"
              + " --policy (use --charts DIR for its charts)");
    }
    if (model.sweep != null && (out != null || report != null)) {
      throw new ParameterException(
          spec.commandLine(), "--sweep prints a table per value: drop --out and --report");
    }
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
    Trace t = null;
    if (trace != null) {
      try {
        t = Trace.read(trace);
      } catch (UnreadableFileException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("dockscale: " + e.getMessage());
        return 1;
      }
    }
    List<String> names = policies.isEmpty() ? List.of("config") : policies;
    for (String name : names) {
      if (!POLICIES.contains(name)) {
        throw new ParameterException(
            spec.commandLine(),
            "unknown policy '" + name + "': use one of " + String.join(", ", POLICIES));
      }
    }
    PrintWriter printed = spec.commandLine().getOut();
    for (Map.Entry<String, ModelOptions> run : model.sweep().entrySet()) {
      ModelOptions m = run.getValue();
      SimulatedService simulated = m.service(s);
      if (!run.getKey().isEmpty()) {
        printed.println("== " + run.getKey());
      }
      if (heldOut) {
        heldOut(printed, c, s, simulated, m);
      } else {
        oneTrace(printed, c, s, simulated, m, t, names);
      }
    }
    printed.flush();
    return 0;
  }

  private void oneTrace(
      PrintWriter printed,
      DockscaleConfig c,
      ServiceSpec s,
      SimulatedService simulated,
      ModelOptions m,
      Trace t,
      List<String> names) {
    int min = s.policy().min();
    int max = s.policy().max();
    Comparison comparison = m.comparison(true);
    Tuner.Objective objective = m.objective();
    List<Contender> contenders = new ArrayList<>();
    for (String name : names) {
      contenders.add(
          switch (name) {
            case "config" -> new Contender("config", s.policy(), Pipeline.dockscale(c.interval()));
            case "static-peak" -> Baselines.staticPeak(simulated, t, min, max);
            case "classic" -> Baselines.classic(c.interval(), min, max);
            case "hpa" -> Baselines.hpa(min, max);
            case "hpa-tuned" ->
                new Contender(
                    "hpa-tuned",
                    Evaluation.tuneHpa(Pipeline.HPA, simulated, min, max, comparison, objective)
                        .policy(),
                    Pipeline.HPA);
            case "dockscale" -> Baselines.dockscale(c.interval(), min, max);
            default -> Baselines.dockscaleCpuOnly(c.interval(), min, max);
          });
    }
    List<Simulator.Result> results = comparison.run(contenders, simulated, t);
    if (out != null) {
      Reports.write(out, Reports.csv(results));
    }
    if (report != null) {
      Reports.write(report, Reports.html(t, s.resources().cpus(), results));
    }
    if (charts != null) {
      writeChart(
          t.name() + ".svg",
          Charts.timeline(
              t.name() + ": demand and ready capacity (first offset)",
              t,
              s.resources().cpus(),
              results));
    }
    List<Summary> summaries = results.stream().map(Simulator.Result::summary).toList();
    printed.print(Reports.table(t.name(), summaries, simulated, objective));
    printed.println("ranking by cost: " + ranking(summaries, simulated, objective));
  }

  private void heldOut(
      PrintWriter printed,
      DockscaleConfig c,
      ServiceSpec s,
      SimulatedService simulated,
      ModelOptions m) {
    Tuner.Objective objective = m.objective();
    Evaluation.Report r =
        Evaluation.run(
            simulated,
            c.interval(),
            s.policy().min(),
            s.policy().max(),
            m.comparison(true),
            objective);
    printed.println("hpa-tuned (on the training traces): " + r.hpaTuned().settings());
    printed.println("hpa-tuned-1s (on the training traces): " + r.hpaTunedFast().settings());
    printed.print(Reports.tableHeader());
    r.byTrace()
        .forEach(
            (name, summaries) ->
                summaries.forEach(x -> printed.print(Reports.row(name, x, simulated, objective))));
    printed.println();
    printed.print(Reports.tableHeader());
    List<Summary> totals = List.copyOf(r.totals().values());
    totals.forEach(x -> printed.print(Reports.row("all held-out", x, simulated, objective)));
    printed.println("ranking by cost: " + ranking(totals, simulated, objective));
    if (charts != null) {
      List<String> traces = List.copyOf(r.byTrace().keySet());
      Map<String, List<Double>> cost = new LinkedHashMap<>();
      Map<String, List<Double>> slo = new LinkedHashMap<>();
      r.byTrace()
          .values()
          .forEach(
              list ->
                  list.forEach(
                      x -> {
                        cost.computeIfAbsent(x.policy(), k -> new ArrayList<>())
                            .add(objective.cost(x, simulated));
                        slo.computeIfAbsent(x.policy(), k -> new ArrayList<>())
                            .add(x.sloShare() * 100);
                      }));
      writeChart(
          "held-out-cost.svg",
          Charts.bars("Cost per held-out trace (lower is better)", "cost", traces, cost));
      writeChart(
          "held-out-slo.svg",
          Charts.bars("Requests within the SLO, % (higher is better)", "%", traces, slo));
    }
  }

  private static String ranking(
      List<Summary> summaries, SimulatedService service, Tuner.Objective objective) {
    return summaries.stream()
        .sorted(java.util.Comparator.comparingDouble(x -> objective.cost(x, service)))
        .map(Summary::policy)
        .collect(java.util.stream.Collectors.joining(" < "));
  }

  private void writeChart(String name, String svg) {
    try {
      Files.createDirectories(charts);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create --charts " + charts, e);
    }
    Reports.write(charts.resolve(name), svg);
  }

  /**
   * Refuses an {@code --out} or {@code --report} that is the config, the trace (also through a
   * symlink or a hard link) or a directory, or both the same file: writing it would destroy what
   * was read, or one report the other.
   */
  private void refuseToOverwriteAnInput() {
    Map<String, Path> outputs = new LinkedHashMap<>();
    if (out != null) {
      outputs.put("--out", out);
    }
    if (report != null) {
      outputs.put("--report", report);
    }
    Map<String, Path> inputs = new LinkedHashMap<>();
    inputs.put("the config (--config " + config.file + ")", config.file);
    if (trace != null) {
      inputs.put("the trace (--trace " + trace + ")", trace);
    }
    if (report != null && out != null) {
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
