package dev.dockscale.config;

import dev.dockscale.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code dockscale.yml} into a {@link DockscaleConfig}. Every problem is collected (not just
 * the first) and reported with its field path, its line and what to write instead; unknown keys are
 * problems too, since a misspelt key would otherwise be silently ignored.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** The largest config file read; a dockscale.yml is a few KB. */
  static final long MAX_BYTES = 1 << 20;

  /**
   * Reads and validates {@code file}.
   *
   * @throws ConfigException with every problem, or why the file cannot be read (not found, a
   *     directory, permission denied, not UTF-8)
   */
  public static DockscaleConfig load(Path file) {
    return parse(file.toString(), text(file), base(file));
  }

  private static String text(Path file) {
    try {
      return TextFile.read(file, MAX_BYTES);
    } catch (UnreadableFileException e) {
      throw new ConfigException(
          file.toString(), List.of(new Problem("", e.line(), e.getMessage())));
    }
  }

  /** The folder a relative {@code state.dir} is taken from: the config's. */
  private static Path base(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent != null ? parent : Path.of("").toAbsolutePath();
  }

  /** A config given as text: a relative {@code state.dir} is taken from the working directory. */
  public static DockscaleConfig parse(String source, String yaml) {
    return parse(source, yaml, Path.of("").toAbsolutePath());
  }

  /**
   * Reads and validates {@code file}; for {@code runtime: swarm}, with the {@code dockscale.*}
   * labels {@code labels} reads off the project's running Swarm services, where the file does not
   * set the key (see {@link ServiceLabels}).
   */
  public static DockscaleConfig load(Path file, LabelSource labels) {
    String text = text(file);
    // The project is read first to know whose labels to ask for; then the file and the labels
    // together, so that labels may give what the file leaves out.
    String project = ConfigReader.swarmProject(YamlTree.parse(file.toString(), text).root());
    Map<String, Map<String, String>> found = project == null ? Map.of() : labels.labels(project);
    return parse(file.toString(), text, base(file), found);
  }

  /** A config given as text, with its services' labels (for tests and benchmarks). */
  public static DockscaleConfig parse(
      String source, String yaml, Map<String, Map<String, String>> labelsByService) {
    return parse(source, yaml, Path.of("").toAbsolutePath(), labelsByService);
  }

  /** Where a running service's labels come from: the project's Swarm services, by service. */
  @FunctionalInterface
  public interface LabelSource {
    Map<String, Map<String, String>> labels(String project);
  }

  static DockscaleConfig parse(String source, String yaml, Path base) {
    return parse(source, yaml, base, Map.of());
  }

  static DockscaleConfig parse(
      String source, String yaml, Path base, Map<String, Map<String, String>> labels) {
    YamlTree tree = YamlTree.parse(source, yaml);
    ServiceLabels.merge(tree, labels);
    DockscaleConfig config = ConfigReader.read(tree.root(), base);
    if (!tree.problems().isEmpty()) {
      throw tree.failure();
    }
    return config;
  }
}
