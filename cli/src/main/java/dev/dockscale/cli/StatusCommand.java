package dev.dockscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Json;
import dev.dockscale.policy.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description = {
      "Shows the running dockscale's services, read from its API (api.listen in the config): replicas ready/starting/draining/warm, desired, CPU and memory in %% of the limits, requests/s and p95 per replica, a pause or override, and the last decision.",
      "Exit 1 when no dockscale answers there or the config has no api.listen."
    })
final class StatusCommand implements Callable<Integer> {

  static final int DEFAULT_WIDTH = 120;
  static final int MIN_WIDTH = 40;

  /** Cursor home; clear to the end of the line; clear to the end of the screen. */
  static final String HOME = "\033[H";

  static final String CLEAR_LINE = "\033[K";
  static final String CLEAR_DOWN = "\033[J";

  /** The longest a watch waits between tries while no dockscale answers. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(names = "--watch", description = "Redraw every interval until Ctrl-C.")
  boolean watch;

  @Option(
      names = "--json",
      description =
          "Print the API's JSON (GET /api/v1/services) instead of the table: one line per refresh.")
  boolean json;

  @Option(names = "--replicas", description = "One row per replica below its service.")
  boolean replicas;

  @Option(
      names = "--interval",
      defaultValue = "1s",
      converter = ModelOptions.DurationConverter.class,
      description = "How often --watch refreshes (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--count",
      description = "With --watch: stop after this many refreshes (default: until Ctrl-C).")
  Integer count;

  @Override
  public Integer call() throws InterruptedException {
    if (interval.compareTo(Duration.ofMillis(10)) < 0) {
      throw new ParameterException(
          spec.commandLine(), "--interval must be at least 10ms, e.g. --interval 1s");
    }
    if (count != null && (count < 1 || !watch)) {
      throw new ParameterException(
          spec.commandLine(), "--count takes a number of refreshes from 1, and only with --watch");
    }
    DockscaleConfig c = config.load();
    if (c.api() == null) {
      spec.commandLine()
          .getErr()
          .println(
              config.file
                  + " has no api.listen, so 'dockscale run' serves no API to read: add 'api: { listen: 9090 }' to it and restart 'dockscale run'");
      return 1;
    }
    ServicesClient client = new ServicesClient(c.api().listen(), config.file);
    return watch ? watch(client) : once(client);
  }

  private int once(ServicesClient client) throws InterruptedException {
    try {
      JsonNode services = client.services();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(compact(services));
      } else {
        table().render(services).forEach(out::println);
      }
      out.flush();
      return 0;
    } catch (ApiUnavailableException e) {
      spec.commandLine().getErr().println("dockscale: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Refreshes every interval until Ctrl-C (or {@code --count}); while no dockscale answers it says
   * so and tries again, waiting longer each time up to {@link #MAX_BACKOFF}.
   */
  private int watch(ServicesClient client) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Duration wait = interval;
    boolean answered = false;
    for (long n = 1; count == null || n <= count; n++) {
      List<String> lines = new ArrayList<>();
      try {
        JsonNode services = client.services();
        answered = true;
        wait = interval;
        if (json) {
          out.println(compact(services));
        } else {
          lines.addAll(table().render(services));
        }
      } catch (ApiUnavailableException e) {
        answered = false;
        wait = backoff(wait, interval);
        String retry = e.getMessage() + "; trying again in " + Durations.format(wait);
        if (json) {
          spec.commandLine().getErr().println("dockscale: " + retry);
        } else {
          lines.addAll(wrap(retry, width(System.getenv())));
        }
      }
      if (!json) {
        lines.add(0, header(client.where()));
        out.print(frame(lines));
      }
      out.flush();
      if (count != null && n == count) {
        break;
      }
      Thread.sleep(wait.toMillis());
    }
    return answered ? 0 : 1;
  }

  private String header(String where) {
    return "dockscale status  "
        + where
        + "  "
        + LocalTime.now(Clock.systemDefaultZone()).format(DateTimeFormatter.ofPattern("HH:mm:ss"))
        + "  every "
        + Durations.format(interval)
        + " (Ctrl-C stops)";
  }

  private StatusTable table() {
    return new StatusTable(replicas, ZoneId.systemDefault(), width(System.getenv()));
  }

  /**
   * One redraw in place: cursor home, each line clearing what a longer one left, then the rest of
   * the screen cleared. Works in any ANSI terminal, tmux and over ssh alike.
   */
  static String frame(List<String> lines) {
    StringBuilder b = new StringBuilder(HOME);
    lines.forEach(l -> b.append(l).append(CLEAR_LINE).append('\n'));
    return b.append(CLEAR_DOWN).toString();
  }

  /** {@code text} in lines of at most {@code width}, broken at spaces (a longer word alone). */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  /** Twice the last wait, from the interval up to {@link #MAX_BACKOFF} (or the interval). */
  static Duration backoff(Duration last, Duration interval) {
    Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    Duration doubled = last.multipliedBy(2);
    return doubled.compareTo(cap) > 0 ? cap : doubled;
  }

  /** The terminal's width from {@code COLUMNS}, else {@value #DEFAULT_WIDTH}. */
  static int width(Map<String, String> env) {
    try {
      return Math.max(MIN_WIDTH, Integer.parseInt(env.getOrDefault("COLUMNS", "").trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_WIDTH;
    }
  }

  private static String compact(JsonNode services) {
    try {
      return Json.mapper().writeValueAsString(services);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree did not write back", e);
    }
  }
}
