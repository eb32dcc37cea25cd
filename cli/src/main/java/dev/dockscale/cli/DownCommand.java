package dev.dockscale.cli;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      converter = ModelOptions.DurationConverter.class,
      description =
          "give up when the Docker engine has not finished by then, saying what to do (default:"
              + " ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    logFormat.apply();
    DockscaleConfig c = config.load();
    // An engine that stops answering (it happens with hundreds of containers) must not hang down.
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "dockscale-down");
              t.setDaemon(true);
              return t;
            });
    Future<List<String>> removing =
        worker.submit(
            () -> {
              try (Stack stack = new Stack(c, spec.commandLine().getErr()::println)) {
                return stack.down();
              }
            });
    List<String> removed;
    try {
      removed = removing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      spec.commandLine()
          .getErr()
          .printf(
              "the Docker engine did not finish removing project %s within --timeout %s; what is"
                  + " left stays where it is. See it with: docker ps -a --filter"
                  + " label=dockscale.project=%s. Run dockscale down again once the engine answers"
                  + " (docker info), or restart the engine (systemctl restart docker) if it does"
                  + " not.%n",
              c.project(), Durations.format(timeout), c.project());
      return 1;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      worker.shutdownNow();
    }
    if (removed.isEmpty()) {
      spec.commandLine().getOut().println("nothing of project " + c.project() + " to remove");
    }
    removed.forEach(r -> spec.commandLine().getOut().println("removed " + r));
    return 0;
  }
}
