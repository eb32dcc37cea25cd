package dev.dockscale.cli;

import dev.dockscale.config.ConfigException;
import dev.dockscale.config.ConfigException.Problem;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that read a config. */
final class ConfigOption {
  static final String DEFAULT = "dockscale.yml";

  @Option(
      names = {"-c", "--config"},
      defaultValue = DEFAULT,
      description = "the config file (default: ${DEFAULT-VALUE})")
  Path file;

  /**
   * The config, or a {@link ConfigException} with every problem; a missing file also says how to
   * name another.
   */
  DockscaleConfig load() {
    try {
      return ConfigLoader.load(file);
    } catch (ConfigException e) {
      if (!Files.exists(file)) {
        throw new ConfigException(
            e.source(),
            List.of(
                new Problem(
                    "",
                    0,
                    e.problems().get(0).message()
                        + "; name the config with --config FILE"
                        + (file.equals(Path.of(DEFAULT))
                            ? " (without it, dockscale reads "
                                + DEFAULT
                                + " in the current directory)"
                            : ""))));
      }
      throw e;
    }
  }
}
