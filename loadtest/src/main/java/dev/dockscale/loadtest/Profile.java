package dev.dockscale.loadtest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An open-model load profile: arrival-rate phases one after another, sent to one loopback URL. The
 * same profile drives {@link OpenLoad} ({@link #rate()}, scripts/openload-run) and Gatling
 * (loadtest-gatling, scripts/gatling-run), so their figures can be set side by side. Built from
 * {@code key=value} settings, where every rate is in requests/s and every time in seconds:
 *
 * <ul>
 *   <li>{@code step}: {@code base} until {@code t1}, {@code high} until {@code t2}, {@code base}
 *       until {@code duration};
 *   <li>{@code spike}: {@code base} until {@code at}, {@code peak} for {@code length}, {@code base}
 *       until {@code duration};
 *   <li>{@code ramp}: {@code base} up to {@code peak} over {@code up}, {@code peak} for {@code
 *       hold}, down to {@code base} over {@code down}.
 * </ul>
 *
 * Every profile also takes {@code arrivals} ({@code even} or {@code poisson}), {@code slo} (the
 * latency bound in ms whose share the report counts) and {@code timeout} (per request, in ms).
 *
 * @param randomized Poisson arrivals (Gatling's {@code randomized()}) rather than evenly spaced
 */
public record Profile(
    String name,
    URI target,
    List<Phase> phases,
    boolean randomized,
    Duration slo,
    Duration timeout) {

  /** A rate going in a straight line from {@code from} to {@code to} requests/s. */
  public record Phase(double from, double to, Duration duration) {
    public Phase {
      if (!(from >= 0 && to >= 0) || Double.isInfinite(from) || Double.isInfinite(to)) {
        throw new IllegalArgumentException("rates must be finite and >= 0: " + from + ", " + to);
      }
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a phase cannot last " + duration);
      }
    }

    static Phase constant(double rate, double seconds) {
      return new Phase(rate, rate, seconds(seconds));
    }

    static Phase line(double from, double to, double seconds) {
      return new Phase(from, to, seconds(seconds));
    }

    public boolean isConstant() {
      return from == to;
    }

    /** Requests this phase should send: the integral of its rate. */
    public double requests() {
      return (from + to) / 2 * duration.toNanos() / 1e9;
    }
  }

  private static final Map<String, Map<String, String>> DEFAULTS =
      Map.of(
          "step", Map.of("base", "10", "high", "50", "t1", "10", "t2", "20", "duration", "30"),
          "spike", Map.of("base", "10", "peak", "100", "at", "10", "length", "2", "duration", "30"),
          "ramp", Map.of("base", "1", "peak", "50", "up", "10", "hold", "10", "down", "10"));
  private static final Map<String, String> COMMON =
      Map.of("arrivals", "poisson", "slo", "500", "timeout", "10000");

  public Profile {
    LoadGenerator.requireLoopback(target);
    phases = List.copyOf(phases);
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("a profile needs at least one phase");
    }
    if (slo.isNegative() || slo.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("slo and timeout must be positive");
    }
  }

  /**
   * The profile {@code name} on {@code target} with {@code settings} over its defaults.
   *
   * @throws IllegalArgumentException naming the setting, for an unknown profile or key, a value
   *     that is not a number, times out of order, or a target that is not a loopback address
   */
  public static Profile of(String name, String target, Map<String, String> settings) {
    Map<String, String> defaults = DEFAULTS.get(name);
    if (defaults == null) {
      throw new IllegalArgumentException(
          "unknown profile '" + name + "': use one of " + new TreeSet<>(DEFAULTS.keySet()));
    }
    Set<String> known = new TreeSet<>(defaults.keySet());
    known.addAll(COMMON.keySet());
    for (String key : settings.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown setting '" + key + "' for profile " + name + ": use " + known);
      }
    }
    Map<String, String> values = new LinkedHashMap<>(COMMON);
    values.putAll(defaults);
    values.putAll(settings);
    Settings s = new Settings(name, values);

    List<Phase> phases = new ArrayList<>();
    switch (name) {
      case "step" -> {
        double t1 = s.seconds("t1");
        double t2 = s.seconds("t2");
        double end = s.seconds("duration");
        s.require(t1 < t2 && t2 <= end, "step needs t1 < t2 <= duration");
        phases.add(Phase.constant(s.rate("base"), t1));
        phases.add(Phase.constant(s.rate("high"), t2 - t1));
        phases.add(Phase.constant(s.rate("base"), end - t2));
      }
      case "spike" -> {
        double at = s.seconds("at");
        double length = s.seconds("length");
        double end = s.seconds("duration");
        s.require(
            length > 0 && at + length <= end, "spike needs length > 0, at + length <= duration");
        phases.add(Phase.constant(s.rate("base"), at));
        phases.add(Phase.constant(s.rate("peak"), length));
        phases.add(Phase.constant(s.rate("base"), end - at - length));
      }
      default -> {
        phases.add(Phase.line(s.rate("base"), s.rate("peak"), s.seconds("up")));
        phases.add(Phase.constant(s.rate("peak"), s.seconds("hold")));
        phases.add(Phase.line(s.rate("peak"), s.rate("base"), s.seconds("down")));
      }
    }
    String arrivals = values.get("arrivals");
    s.require(
        arrivals.equals("even") || arrivals.equals("poisson"),
        "arrivals must be even or poisson, not " + arrivals);
    return new Profile(
        name,
        parseTarget(target),
        phases.stream().filter(p -> !p.duration().isZero()).toList(),
        arrivals.equals("poisson"),
        Duration.ofMillis(s.positiveLong("slo")),
        Duration.ofMillis(s.positiveLong("timeout")));
  }

  private static URI parseTarget(String target) {
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the target is not a URL: " + target, e);
    }
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the target must be an http:// URL, not " + target);
    }
    return uri;
  }

  /** How long arrivals go on. */
  public Duration duration() {
    return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
  }

  /** The rate, phase after phase, as {@link OpenLoad} follows it; 0 after the last phase. */
  public ArrivalRate rate() {
    double[] ends = new double[phases.size()];
    double end = 0;
    for (int i = 0; i < ends.length; i++) {
      end += phases.get(i).duration().toNanos() / 1e9;
      ends[i] = end;
    }
    return t -> {
      double start = 0;
      for (int i = 0; i < ends.length; i++) {
        if (t < ends[i]) {
          Phase phase = phases.get(i);
          return phase.from() + (phase.to() - phase.from()) * (t - start) / (ends[i] - start);
        }
        start = ends[i];
      }
      return 0;
    };
  }

  /** Requests the profile should send, the integral of its rate. */
  public double expectedRequests() {
    return phases.stream().mapToDouble(Phase::requests).sum();
  }

  private record Settings(String profile, Map<String, String> values) {

    double rate(String key) {
      double rate = number(key);
      require(rate >= 0, key + " must be a rate >= 0 requests/s");
      return rate;
    }

    double seconds(String key) {
      double seconds = number(key);
      require(seconds >= 0 && seconds <= 86_400, key + " must be from 0 to 86400 seconds");
      return seconds;
    }

    long positiveLong(String key) {
      double value = number(key);
      require(value >= 1 && value == Math.rint(value), key + " must be a whole number >= 1");
      return (long) value;
    }

    private double number(String key) {
      String value = values.get(key);
      try {
        double number = Double.parseDouble(value);
        require(Double.isFinite(number), key + " must be a finite number, not " + value);
        return number;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            profile + ": " + key + " must be a number, not '" + value + "'", e);
      }
    }

    void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(profile + ": " + message + " (" + values + ")");
      }
    }
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
