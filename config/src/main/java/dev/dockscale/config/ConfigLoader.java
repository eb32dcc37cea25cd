package dev.dockscale.config;

import dev.dockscale.config.ConfigException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code dockscale.yml} into a {@link DockscaleConfig}. Every problem is collected (not just
 * the first) and reported with its field path, its line and what to write instead; unknown keys are
 * problems too, since a misspelt key would otherwise be silently ignored.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  public static DockscaleConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of(new Problem("", 0, "cannot read the file: " + e.getMessage())));
    }
    return parse(file.toString(), text);
  }

  public static DockscaleConfig parse(String source, String yaml) {
    YamlTree tree = YamlTree.parse(source, yaml);
    DockscaleConfig config = ConfigReader.read(tree.root());
    if (!tree.problems().isEmpty()) {
      throw tree.failure();
    }
    return config;
  }
}
