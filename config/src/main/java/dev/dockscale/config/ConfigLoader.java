package dev.dockscale.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dockscale.config.ConfigException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    JsonNode root;
    Map<String, Integer> lines = new HashMap<>();
    try {
      ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
      indexLines(mapper, yaml, lines);
      root = mapper.readTree(yaml);
    } catch (IOException e) {
      int line =
          e instanceof JsonProcessingException j && j.getLocation() != null
              ? j.getLocation().getLineNr()
              : 0;
      String message = e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(
          source, List.of(new Problem("", line, "not valid YAML: " + message)));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(
          source,
          List.of(
              new Problem(
                  "", 0, "the file is empty: it needs at least 'services:' with one service")));
    }
    List<Problem> problems = new ArrayList<>();
    DockscaleConfig config = ConfigReader.read(Node.root(root, lines, problems));
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return config;
  }

  /** Remembers the line of every field, by its JSON pointer, for the error messages. */
  private static void indexLines(ObjectMapper mapper, String yaml, Map<String, Integer> lines)
      throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME
            || t.isScalarValue()
            || t == JsonToken.START_OBJECT
            || t == JsonToken.START_ARRAY) {
          String pointer = p.getParsingContext().pathAsPointer().toString();
          lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        }
      }
    }
  }
}
