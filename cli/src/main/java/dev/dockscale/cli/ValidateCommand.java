package dev.dockscale.cli;

import dev.dockscale.config.ConfigException;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.DockscaleConfig.MetricsSpec;
import dev.dockscale.config.ServiceLabels;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.config.Sizes;
import dev.dockscale.engine.RuntimeUnavailableException;
import dev.dockscale.policy.Durations;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description = "Checks a config: exit 0 when it is valid, 1 with every problem when not.")
final class ValidateCommand implements Callable<Integer> {

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(
      names = "--labels",
      description =
          "With runtime: swarm, also check the dockscale.* labels of the project's running Swarm services (read from the Docker engine), as the policy they add where the file does not speak.")
  boolean labels;

  @Override
  public Integer call() {
    DockscaleConfig c;
    Map<String, Map<String, String>> read = new TreeMap<>();
    try {
      c = labels ? config.loadWithLabels(read::putAll) : config.load();
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    } catch (RuntimeUnavailableException e) {
      spec.commandLine().getErr().println("labels not read: " + e.getMessage());
      return 1;
    }
    if (labels && !c.onSwarm()) {
      spec.commandLine()
          .getErr()
          .println("--labels reads Swarm services' labels; this config has runtime: docker");
      return 1;
    }
    var out = spec.commandLine().getOut();
    out.printf(
        "%s is valid: project %s, every %s, balancer on %s%n",
        config.file, c.project(), Durations.format(c.interval()), c.balancer().listen());
    for (ServiceSpec s : c.services().values()) {
      out.printf(
          "  %s: %s on port %d, %s-%s replicas of %s CPU / %s, path %s, policy %s: %s%n",
          s.name(),
          s.image(),
          s.port(),
          s.policy().min(),
          s.policy().max(),
          s.resources().cpus(),
          Sizes.format(s.resources().memoryBytes()),
          s.path(),
          s.policy().name(),
          String.join(", ", s.policy().rules().stream().map(Object::toString).toList()));
    }
    if (c.onSwarm() && !labels) {
      out.println("  runtime: swarm (validate --labels checks the running services' labels too)");
    } else if (c.onSwarm()) {
      out.println(
          "  runtime: swarm, with these labels of the running services where the file is silent (the file wins where both set a key):");
      read.forEach(
          (service, all) ->
              out.printf(
                  "    %s: %s%n",
                  service,
                  String.join(
                      ", ",
                      new TreeMap<>(all)
                          .entrySet().stream()
                              .filter(e -> ServiceLabels.isPolicy(e.getKey()))
                              .map(e -> e.getKey() + "=" + e.getValue())
                              .toList())));
    }
    MetricsSpec m = c.metrics();
    if (m.fromPrometheus()) {
      out.printf(
          "  metrics: CPU and memory through Prometheus at %s (rate over %s, stale after %s)%n",
          m.prometheus(), Durations.format(m.window()), Durations.format(m.staleAfter()));
    }
    if (m.fromAgents()) {
      out.printf(
          "  metrics: CPU and memory from the agents %s, scraped every second (stale after %s)%n",
          m.agents(), Durations.format(m.staleAfter()));
    }
    return 0;
  }
}
