package dev.dockscale.loadtest.gatling;

import com.typesafe.config.ConfigFactory;
import dev.dockscale.loadtest.Profile;
import io.gatling.app.Gatling$;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a {@link Profile} with Gatling in this JVM, writes Gatling's HTML report into a results
 * folder and reads back the figures a benchmark keeps ({@link GatlingFigures}).
 *
 * <pre>
 * GatlingRun &lt;step|spike|ramp&gt; &lt;http://127.0.0.1:PORT/path&gt; [key=value...] [results=DIR]
 * </pre>
 *
 * Prints {@code report: DIR/index.html}, the figures in words, and {@code figures: key=value...}
 * ({@link GatlingFigures#keyValues()}). Exit status 0 after a run (whatever the server answered), 2
 * for bad arguments, 1 when Gatling itself failed. Nothing leaves this machine: the target must be
 * a loopback address, and Gatling's usage analytics and its warm-up request to gatling.io are off
 * (src/main/resources/gatling.conf), and its check for a newer release goes to a closed loopback
 * port. Gatling needs {@code --add-opens=java.base/java.lang=ALL-UNNAMED} on the JVM's command
 * line.
 */
public final class GatlingRun {

  private static final String RESULTS = "results";

  /** Gatling instantiates the simulation by its class name, in this JVM, during {@link #run}. */
  private static volatile Profile running;

  /** A finished run: the folder of its report (index.html, js/stats.json) and its figures. */
  public record Outcome(Path report, GatlingFigures figures) {}

  private GatlingRun() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println(
          "usage: gatling-run <step|spike|ramp> <http://127.0.0.1:PORT/path> [key=value...]"
              + " [results=DIR]");
      System.exit(2);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    Path results = Path.of("target", "gatling");
    Profile profile;
    try {
      for (String arg : List.of(args).subList(2, args.length)) {
        int eq = arg.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
        }
        String key = arg.substring(0, eq);
        String value = arg.substring(eq + 1);
        if (key.equals(RESULTS)) {
          results = Path.of(value);
        } else {
          settings.put(key, value);
        }
      }
      profile = Profile.of(args[0], args[1], settings);
    } catch (IllegalArgumentException e) {
      System.err.println("gatling-run: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Outcome outcome = run(profile, results);
      System.out.println("report: " + outcome.report().resolve("index.html"));
      System.out.println(outcome.figures());
      // the same for programs that run this (the policy benchmark): one line, key=value
      System.out.println("figures: " + outcome.figures().keyValues());
    } catch (GatlingFailedException e) {
      System.err.println("gatling-run: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * Runs {@code profile} and waits for the end of it (its duration, then at most its timeout). Sets
   * the JVM's system properties while it runs and puts them back after: run one at a time.
   */
  public static synchronized Outcome run(Profile profile, Path resultsFolder) {
    Map<String, String> properties = new LinkedHashMap<>();
    // the report counts the answers below lowerBound: make it the SLO bound
    long slo = profile.slo().toMillis();
    properties.put("gatling.charting.indicators.lowerBound", Long.toString(slo));
    properties.put("gatling.charting.indicators.higherBound", Long.toString(2 * slo));
    properties.put("gatling.charting.indicators.percentile1", "50");
    properties.put("gatling.charting.indicators.percentile2", "75");
    properties.put("gatling.charting.indicators.percentile3", "95");
    properties.put("gatling.charting.indicators.percentile4", "99");
    // Gatling asks Maven Central for its latest release through HttpURLConnection: send that to a
    // closed port on this machine (Gatling's own HTTP client ignores these properties)
    String nowhere = Integer.toString(closedLoopbackPort());
    properties.put("gatling.data.enableAnalytics", "false");
    properties.put("http.proxyHost", "127.0.0.1");
    properties.put("http.proxyPort", nowhere);
    properties.put("https.proxyHost", "127.0.0.1");
    properties.put("https.proxyPort", nowhere);

    Map<String, String> previous = new HashMap<>();
    properties.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
    ConfigFactory.invalidateCaches();
    running = profile;
    try {
      Path absolute = resultsFolder.toAbsolutePath();
      Files.createDirectories(absolute);
      List<Path> before = runFolders(absolute);
      int status =
          Gatling$.MODULE$.fromArgs(
              new String[] {
                "--simulation",
                OpenProfileSimulation.class.getName(),
                "--results-folder",
                absolute.toString(),
                "--run-description",
                profile.name() + " on " + profile.target(),
                "--launcher",
                "dockscale"
              });
      if (status != 0) {
        throw new GatlingFailedException("Gatling ended with status " + status);
      }
      List<Path> created = runFolders(absolute).stream().filter(p -> !before.contains(p)).toList();
      if (created.size() != 1) {
        throw new GatlingFailedException(
            "expected one new report folder in " + absolute + ", found " + created);
      }
      Path report = created.get(0);
      return new Outcome(report, GatlingFigures.read(report, profile.slo()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      running = null;
      previous.forEach(
          (key, value) -> {
            if (value == null) {
              System.clearProperty(key);
            } else {
              System.setProperty(key, value);
            }
          });
      ConfigFactory.invalidateCaches();
    }
  }

  /** The profile of the run in progress, for {@link OpenProfileSimulation}. */
  static Profile running() {
    Profile profile = running;
    if (profile == null) {
      throw new IllegalStateException(
          "OpenProfileSimulation runs through GatlingRun (scripts/gatling-run), which gives it"
              + " its profile");
    }
    return profile;
  }

  private static int closedLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> runFolders(Path results) throws IOException {
    try (Stream<Path> entries = Files.list(results)) {
      return entries.filter(Files::isDirectory).toList();
    }
  }

  /** Gatling could not run the simulation or left no report. */
  public static final class GatlingFailedException extends RuntimeException {
    GatlingFailedException(String message) {
      super(message);
    }
  }
}
