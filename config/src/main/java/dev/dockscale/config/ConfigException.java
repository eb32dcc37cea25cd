package dev.dockscale.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot be used, with every problem found: field path, line and the fix. */
public class ConfigException extends RuntimeException {

  /** One problem: where it is ({@code services.web.replicas.max}, line 12) and what to do. */
  public record Problem(String path, int line, String message) {
    @Override
    public String toString() {
      return (line > 0 ? "line " + line + ": " : "")
          + (path.isEmpty() ? "" : path + ": ")
          + message;
    }
  }

  private final String source;
  private final List<Problem> problems;

  public ConfigException(String source, List<Problem> problems) {
    super(render(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  public String source() {
    return source;
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String render(String source, List<Problem> problems) {
    String head =
        source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems");
    return head + "\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
