package dev.dockscale.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several contenders on one trace on equal terms: each at {@code offsets} sync offsets (the
 * figures are their means), and all over the same time: {@link #TAIL} past the trace's end at its
 * last demand, or longer until the last of them is back at its minimum (a policy that got there
 * sooner is charged its minimum until then).
 *
 * @param offsets how many runs per contender, their sync and scrape start spread over a period
 * @param slo the latency bound of the SLO share
 * @param distribution whether to keep latency distributions (for p95; slower)
 */
public record Comparison(int offsets, Duration slo, boolean distribution) {

  public static final int DEFAULT_OFFSETS = 4;
  public static final Duration DEFAULT_SLO = Duration.ofMillis(250);

  /** How long every run goes on after its trace: HPA's 300 s scale-down window, and drains. */
  public static final double TAIL = 400;

  public Comparison {
    if (offsets < 1 || offsets > 64) {
      throw new IllegalArgumentException("offsets must be from 1 to 64, got " + offsets);
    }
    if (slo.isZero() || slo.isNegative()) {
      throw new IllegalArgumentException("slo must be > 0, got " + slo);
    }
  }

  /** One result per contender, in order: the rows of the first offset, the mean summary. */
  public List<Simulator.Result> run(
      List<Contender> contenders, SimulatedService service, Trace trace) {
    double horizon = trace.end() + TAIL;
    List<Simulator.Result> results = runAll(contenders, service, trace, horizon);
    double last = results.stream().mapToDouble(r -> r.summary().end()).max().orElse(horizon);
    return last > horizon + 1e-9 ? runAll(contenders, service, trace, last) : results;
  }

  private List<Simulator.Result> runAll(
      List<Contender> contenders, SimulatedService service, Trace trace, double horizon) {
    List<Simulator.Result> results = new ArrayList<>();
    for (Contender c : contenders) {
      List<Summary> runs = new ArrayList<>();
      Simulator.Result first = null;
      for (int i = 0; i < offsets; i++) {
        Simulator.Result r = once(c, service, trace, i, horizon);
        first = first == null ? r : first;
        runs.add(r.summary());
      }
      results.add(new Simulator.Result(c.name(), first.rows(), Summary.mean(runs)));
    }
    return results;
  }

  private Simulator.Result once(
      Contender c, SimulatedService service, Trace trace, int offset, double horizon) {
    return Simulator.run(
        c.name(),
        c.policy(),
        c.pipeline(),
        service,
        trace,
        new Simulator.Run(offset, offsets, horizon, slo, distribution));
  }
}
