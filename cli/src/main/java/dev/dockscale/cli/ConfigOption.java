package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.config.ConfigException;
import dev.dockscale.config.ConfigException.Problem;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.docker.Docker;
import dev.dockscale.runtime.swarm.SwarmLabels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    return load(() -> ConfigLoader.load(file));
  }

  /**
   * The config with, for {@code runtime: swarm}, the {@code dockscale.*} labels of the project's
   * running Swarm services where the file does not set the key.
   */
  DockscaleConfig loadWithLabels() {
    return loadWithLabels(labels -> {});
  }

  /** The same, telling {@code read} the labels it read (none for {@code runtime: docker}). */
  DockscaleConfig loadWithLabels(Consumer<Map<String, Map<String, String>>> read) {
    return load(
        () ->
            ConfigLoader.load(
                file,
                project -> {
                  Map<String, Map<String, String>> labels = swarmLabels(project);
                  read.accept(labels);
                  return labels;
                }));
  }

  /** The labels of the project's running Swarm services (for {@link ConfigLoader#load}). */
  static Map<String, Map<String, String>> swarmLabels(String project) {
    try (DockerClient docker = Docker.connect()) {
      Docker.requireReachable(docker);
      return SwarmLabels.read(docker, project);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DockscaleConfig load(Supplier<DockscaleConfig> loader) {
    try {
      return loader.get();
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
