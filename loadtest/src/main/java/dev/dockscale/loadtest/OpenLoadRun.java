package dev.dockscale.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Profile} with {@link OpenLoad} and prints what it saw: the command-line twin of
 * loadtest-gatling's GatlingRun, taking the same arguments.
 *
 * <pre>
 * OpenLoadRun &lt;step|spike|ramp&gt; &lt;http://127.0.0.1:PORT/path&gt; [key=value...]
 *     [inflight=N] [seed=N] [resend=yes|no]
 * </pre>
 *
 * {@code inflight} caps the requests in flight (default 512), {@code seed} seeds the Poisson
 * arrivals (default 1), {@code resend=no} counts a request the server closed unanswered as failed
 * instead of sending it once more (default yes; {@link Unanswered}). Exit status 0 after a run
 * (whatever the server answered), 2 for bad arguments.
 */
public final class OpenLoadRun {

  private OpenLoadRun() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 2) {
      System.err.println(
          "usage: openload-run <step|spike|ramp> <http://127.0.0.1:PORT/path> [key=value...]"
              + " [inflight=N] [seed=N] [resend=yes|no]");
      System.exit(2);
    }
    OpenLoad.Builder load;
    Profile profile;
    try {
      Map<String, String> settings = new LinkedHashMap<>();
      for (String arg : List.of(args).subList(2, args.length)) {
        int eq = arg.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
        }
        settings.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
      int inFlight = Integer.parseInt(settings.getOrDefault("inflight", "512"));
      long seed = Long.parseLong(settings.getOrDefault("seed", "1"));
      String resend = settings.getOrDefault("resend", "yes");
      if (!resend.equals("yes") && !resend.equals("no")) {
        throw new IllegalArgumentException("resend must be yes or no, not '" + resend + "'");
      }
      settings.remove("inflight");
      settings.remove("seed");
      settings.remove("resend");
      profile = Profile.of(args[0], args[1], settings);
      load =
          OpenLoad.to(profile.target())
              .rate(profile.rate())
              .lasting(profile.duration())
              .timeout(profile.timeout())
              .slo(profile.slo())
              .maxInFlight(inFlight);
      load = profile.randomized() ? load.poisson(seed) : load.evenlySpaced();
      load = resend.equals("no") ? load.neverResend() : load;
    } catch (IllegalArgumentException e) {
      System.err.println("openload-run: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.printf(
        "openload-run: %s on %s, %.0f requests expected over %d s%n",
        profile.name(),
        profile.target(),
        profile.expectedRequests(),
        profile.duration().toSeconds());
    try (OpenLoad running = load.start()) {
      System.out.println(running.awaitResult());
    }
  }
}
