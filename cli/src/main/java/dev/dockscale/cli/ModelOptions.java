package dev.dockscale.cli;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Durations;
import dev.dockscale.simulator.Comparison;
import dev.dockscale.simulator.SimulatedService;
import dev.dockscale.simulator.Tuner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * What the simulator charges, as options of {@code simulate}: each overrides the config (startup,
 * drain) or the simulator's documented default, and each can be swept.
 */
final class ModelOptions {

  @Option(
      names = "--startup",
      converter = DurationConverter.class,
      description = "time from start to ready (default: the service's startup, 10s unless set)")
  Duration startup;

  @Option(
      names = "--drain",
      converter = DurationConverter.class,
      description = "a removed replica costs this much longer (default: the service's drain)")
  Duration drain;

  @Option(
      names = "--burst",
      description =
          "share of its CPU, in %%, a new replica spends on itself after ready (default: 50)")
  Double burst;

  @Option(
      names = "--burst-for",
      converter = DurationConverter.class,
      description = "how long that start-up burst lasts (default: 10s)")
  Duration burstFor;

  @Option(
      names = "--request-cpu",
      converter = DurationConverter.class,
      description = "CPU time per request: demand / this = request rate (default: 10ms)")
  Duration requestCpu;

  @Option(
      names = "--workers",
      description = "requests a replica serves at once, the c of M/M/c (default: 1)")
  Integer workers;

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      description = "a request that would wait longer is dropped (default: 30s)")
  Duration timeout;

  @Option(
      names = "--slo",
      converter = DurationConverter.class,
      description = "latency bound of the SLO share (default: 250ms)")
  Duration slo;

  @Option(
      names = "--offsets",
      description = "runs per policy, sync and scrape starts spread over a period (default: 4)")
  int offsets = Comparison.DEFAULT_OFFSETS;

  @Option(
      names = "--miss-weight",
      description =
          "cost of a request missing the SLO, in multiples of the capacity it needed (default: 10)")
  double missWeight = Tuner.Objective.DEFAULT.missWeight();

  @Option(
      names = "--sweep",
      paramLabel = "KNOB=V1,V2,...",
      description =
          "run once per value and print each ranking; knobs: startup, drain, burst, burst-for,"
              + " request-cpu, workers, timeout, slo")
  String sweep;

  /** The service with every knob applied. */
  SimulatedService service(ServiceSpec spec) {
    SimulatedService s = SimulatedService.of(spec);
    s = startup == null ? s : s.withStartup(startup);
    s = drain == null ? s : s.withDrain(drain);
    s =
        s.withBurst(
            burst == null ? s.burstShare() : burst / 100,
            burstFor == null ? s.burstFor() : burstFor);
    return s.withRequests(
        requestCpu == null ? s.requestCpu() : requestCpu,
        workers == null ? s.workers() : workers,
        timeout == null ? s.timeout() : timeout);
  }

  Comparison comparison(boolean distribution) {
    return new Comparison(offsets, slo == null ? Comparison.DEFAULT_SLO : slo, distribution);
  }

  Tuner.Objective objective() {
    if (!(missWeight >= 0) || Double.isInfinite(missWeight)) {
      throw new IllegalArgumentException("--miss-weight must be a number >= 0, got " + missWeight);
    }
    return new Tuner.Objective(missWeight);
  }

  /**
   * The sweep: a copy of these options per value, labelled {@code knob=value}; just these options
   * without a sweep.
   */
  Map<String, ModelOptions> sweep() {
    Map<String, ModelOptions> runs = new LinkedHashMap<>();
    if (sweep == null) {
      runs.put("", this);
      return runs;
    }
    int eq = sweep.indexOf('=');
    if (eq < 1 || eq == sweep.length() - 1) {
      throw new IllegalArgumentException(
          "--sweep " + sweep + ": write KNOB=V1,V2,... e.g. --sweep startup=2s,10s,30s");
    }
    String knob = sweep.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    BiFunction<ModelOptions, String, ModelOptions> set = KNOBS.get(knob);
    if (set == null) {
      throw new IllegalArgumentException(
          "--sweep: unknown knob '" + knob + "'; use one of " + String.join(", ", KNOBS.keySet()));
    }
    List<String> values = new ArrayList<>(List.of(sweep.substring(eq + 1).split(",")));
    if (values.size() > 20) {
      throw new IllegalArgumentException("--sweep: at most 20 values, got " + values.size());
    }
    for (String v : values) {
      runs.put(knob + "=" + v.trim(), set.apply(copy(), v.trim()));
    }
    return runs;
  }

  private static final Map<String, BiFunction<ModelOptions, String, ModelOptions>> KNOBS =
      new LinkedHashMap<>();

  static {
    KNOBS.put("startup", (o, v) -> with(o, () -> o.startup = Durations.parse(v)));
    KNOBS.put("drain", (o, v) -> with(o, () -> o.drain = Durations.parse(v)));
    KNOBS.put("burst", (o, v) -> with(o, () -> o.burst = number("burst", v)));
    KNOBS.put("burst-for", (o, v) -> with(o, () -> o.burstFor = Durations.parse(v)));
    KNOBS.put("request-cpu", (o, v) -> with(o, () -> o.requestCpu = Durations.parse(v)));
    KNOBS.put("workers", (o, v) -> with(o, () -> o.workers = (int) number("workers", v)));
    KNOBS.put("timeout", (o, v) -> with(o, () -> o.timeout = Durations.parse(v)));
    KNOBS.put("slo", (o, v) -> with(o, () -> o.slo = Durations.parse(v)));
  }

  private static ModelOptions with(ModelOptions o, Runnable change) {
    change.run();
    return o;
  }

  private static double number(String knob, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--sweep " + knob + ": '" + v + "' is not a number");
    }
  }

  private ModelOptions copy() {
    ModelOptions o = new ModelOptions();
    o.startup = startup;
    o.drain = drain;
    o.burst = burst;
    o.burstFor = burstFor;
    o.requestCpu = requestCpu;
    o.workers = workers;
    o.timeout = timeout;
    o.slo = slo;
    o.offsets = offsets;
    o.missWeight = missWeight;
    return o;
  }

  /** Durations as config writes them: 250ms, 10s, 5m. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }
}
