package dev.dockscale.cli;

import dev.dockscale.config.DockscaleConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description =
        "Removes everything dockscale created for the config's project: replicas, balancer, network.")
final class DownCommand implements Callable<Integer> {

  @Mixin ConfigOption config;
  @Mixin LogFormatOption logFormat;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    logFormat.apply();
    DockscaleConfig c = config.load();
    try (Stack stack = new Stack(c, spec.commandLine().getErr()::println)) {
      List<String> removed = stack.down();
      if (removed.isEmpty()) {
        spec.commandLine().getOut().println("nothing of project " + c.project() + " to remove");
      }
      removed.forEach(r -> spec.commandLine().getOut().println("removed " + r));
    }
    return 0;
  }
}
