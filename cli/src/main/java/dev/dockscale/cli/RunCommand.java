package dev.dockscale.cli;

import dev.dockscale.api.ApiServer;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.ControlsFile;
import dev.dockscale.engine.DecisionJournal;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description =
        "Runs the reconcile loop until stopped (Ctrl-C). Replicas and balancer keep serving after it stops.")
final class RunCommand implements Callable<Integer> {

  @Mixin ConfigOption config;
  @Mixin LogFormatOption logFormat;
  @Spec CommandSpec spec;

  @Option(
      names = "--dry-run",
      description = "Observe and record decisions, but start, stop and reload nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws InterruptedException {
    logFormat.apply();
    DockscaleConfig c = config.loadWithLabels();
    CountDownLatch stopped = new CountDownLatch(1);
    try (Stack stack = new Stack(c, spec.commandLine().getErr()::println)) {
      if (!dryRun) {
        // The balancer's image first; services' images are fetched by the loop in the
        // background, so a slow or failing pull holds back only its own service.
        stack.prepareBalancerImage();
      }
      Controller controller = stack.controller(dryRun);
      // What was decided before a restart: the API shows it, windows and cooldowns go on from it.
      DecisionJournal journal = new DecisionJournal(c.stateDir());
      journal.lock();
      controller.remember(journal.load().decisions());
      controller.onDecision(journal::append);
      // Pauses and overrides set through the API outlive a restart too.
      ControlsFile controls = new ControlsFile(c.stateDir());
      controller.onControlsChanged(controls::save);
      controller.restoreControls(controls.load());
      ApiServer api =
          c.api() == null
              ? null
              : ApiServer.start(
                  c, controller, Clock.systemUTC(), spec.commandLine().getErr()::println);
      // A reload reads the Swarm services' labels again, as the start did.
      ConfigWatcher watcher =
          new ConfigWatcher(
              config.file,
              file -> ConfigLoader.load(file, ConfigOption::swarmLabels),
              controller::reload);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    watcher.close();
                    if (api != null) {
                      api.close();
                    }
                    controller.close();
                    journal.close();
                    stopped.countDown();
                  }));
      controller.start();
      watcher.start();
      spec.commandLine()
          .getErr()
          .printf(
              "dockscale: %s project %s on %s; edits of the config (or SIGHUP) reload it; Ctrl-C stops the loop (the services keep serving; 'dockscale down' removes them)%n",
              dryRun ? "dry-running" : "running", c.project(), c.balancer().listen());
      stopped.await();
    }
    return 0;
  }
}
