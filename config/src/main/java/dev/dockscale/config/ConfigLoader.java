package dev.dockscale.config;

import dev.dockscale.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.List;

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
    String text;
    try {
      text = TextFile.read(file, MAX_BYTES);
    } catch (UnreadableFileException e) {
      throw new ConfigException(
          file.toString(), List.of(new Problem("", e.line(), e.getMessage())));
    }
    Path parent = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, parent != null ? parent : Path.of("").toAbsolutePath());
  }

  /** A config given as text: a relative {@code state.dir} is taken from the working directory. */
  public static DockscaleConfig parse(String source, String yaml) {
    return parse(source, yaml, Path.of("").toAbsolutePath());
  }

  static DockscaleConfig parse(String source, String yaml, Path base) {
    YamlTree tree = YamlTree.parse(source, yaml);
    DockscaleConfig config = ConfigReader.read(tree.root(), base);
    if (!tree.problems().isEmpty()) {
      throw tree.failure();
    }
    return config;
  }
}
