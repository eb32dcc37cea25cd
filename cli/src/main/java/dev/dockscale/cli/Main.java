package dev.dockscale.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dockscale} command. */
@Command(
    name = "dockscale",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description = "Autoscales a web app's containers on Docker, behind nginx.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      DownCommand.class,
      StatusCommand.class,
      AgentCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      BenchReactionCommand.class,
      BenchWatchCommand.class,
      BenchBurstCommand.class,
      BenchPoliciesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  static final String VERSION = "dockscale 0.1.0";

  public static void main(String[] args) {
    if (args.length > 0 && "demo".equals(args[0])) {
      // The demo prints its own live line; the full log goes to a file.
      System.setProperty("dockscale.console.level", "WARN");
      System.setProperty("dockscale.log.file", "dockscale-demo.log");
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("dockscale: " + e.getMessage());
          return e instanceof dev.dockscale.config.ConfigException ? 1 : 2;
        });
    return cli;
  }
}
