package dev.dockscale.cli;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that read a config. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      defaultValue = "dockscale.yml",
      description = "the config file (default: ${DEFAULT-VALUE})")
  Path file;

  DockscaleConfig load() {
    return ConfigLoader.load(file);
  }
}
