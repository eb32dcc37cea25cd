package dev.dockscale.simulator;

import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Durations;
import dev.dockscale.policy.MetricRule;
import dev.dockscale.policy.RateLimit;
import dev.dockscale.policy.RateLimits;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The one search every tuned policy goes through. It starts from a policy's own settings and, a
 * setting at a time, tries each value of the {@link Space} with the others held, keeping any that
 * lowers the {@link Objective} summed over the training traces, until a round changes nothing (at
 * most {@link #ROUNDS}). The settings are the target and what HPA's {@code behavior} allows
 * (scale-down window, scale-up limit) plus the warm-up and, where the family has one, the forecast.
 * It takes the training set only: held-out traces are for grading.
 */
public final class Tuner {

  static final int ROUNDS = 3;

  /** The values each setting may take; an empty list leaves that setting alone. */
  public record Space(
      List<Double> targets,
      List<Duration> downWindows,
      List<RateLimits> upLimits,
      List<Duration> warmups,
      List<Duration> lookaheads) {

    private static final List<Double> TARGETS =
        List.of(50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0);
    private static final List<Duration> WINDOWS = seconds(0, 8, 15, 30, 60, 120, 300);
    private static final List<RateLimits> LIMITS =
        List.of(
            RateLimits.none(),
            RateLimits.of(
                RateLimits.Select.MAX,
                RateLimit.replicas(4, Duration.ofSeconds(15)),
                RateLimit.percent(100, Duration.ofSeconds(15))),
            RateLimits.of(
                RateLimits.Select.MAX,
                RateLimit.replicas(4, Duration.ofSeconds(5)),
                RateLimit.percent(200, Duration.ofSeconds(5))));
    private static final List<Duration> WARMUPS = seconds(0, 3, 10, 30);

    /** What HPA lets you set. */
    public static final Space HPA = new Space(TARGETS, WINDOWS, LIMITS, WARMUPS, List.of());

    /** HPA's settings, and dockscale's forecast. */
    public static final Space DOCKSCALE =
        new Space(TARGETS, WINDOWS, LIMITS, WARMUPS, seconds(0, 5, 10, 20));

    private static List<Duration> seconds(long... values) {
      List<Duration> list = new ArrayList<>();
      for (long v : values) {
        list.add(Duration.ofSeconds(v));
      }
      return List.copyOf(list);
    }
  }

  /**
   * What a run costs: its container-seconds, plus {@code missWeight} times the replica-seconds it
   * would have taken to serve the requests that missed the SLO. With the default 10, a request
   * answered late or not at all costs ten times the capacity it needed.
   */
  public record Objective(double missWeight) {
    public static final Objective DEFAULT = new Objective(10);

    public double cost(Summary s, SimulatedService service) {
      return s.containerSeconds() + missWeight * s.missedRequests() / service.requestsPerReplica();
    }
  }

  /** The best policy found: its cost on the training set, and its settings in words. */
  public record Tuned(ScalingPolicy policy, double target, double cost, String settings) {}

  private Tuner() {}

  /**
   * Tunes a family of rules ({@code rules} gives them for a target), starting from {@code target}
   * and {@code start}'s behaviour, within [min, max], on {@code set}, which must be the training
   * set.
   */
  public static Tuned tune(
      String name,
      DoubleFunction<List<MetricRule>> rules,
      double target,
      Behavior start,
      Space space,
      Pipeline pipeline,
      SimulatedService service,
      int min,
      int max,
      TraceSet set,
      Comparison comparison,
      Objective objective) {
    if (set != TraceSet.TRAINING) {
      throw new IllegalArgumentException(
          "tuning reads the training set only; " + set + " is for grading");
    }
    List<Trace> traces = set.traces();
    Point best = new Point(target, start);
    double bestCost =
        cost(best.policy(name, rules, min, max), pipeline, service, traces, comparison, objective);
    for (int round = 0; round < ROUNDS; round++) {
      boolean changed = false;
      for (int setting = 0; setting < Point.SETTINGS; setting++) {
        // Built from the best point so far: a setting tried later keeps what an earlier one found.
        List<Point> line = best.lines(space).get(setting);
        List<Double> costs =
            line.parallelStream()
                .map(
                    p ->
                        cost(
                            p.policy(name, rules, min, max),
                            pipeline,
                            service,
                            traces,
                            comparison,
                            objective))
                .toList();
        for (int i = 0; i < line.size(); i++) {
          if (costs.get(i) < bestCost - 1e-6) {
            bestCost = costs.get(i);
            best = line.get(i);
            changed = true;
          }
        }
      }
      if (!changed) {
        break;
      }
    }
    return new Tuned(best.policy(name, rules, min, max), best.target, bestCost, best.describe());
  }

  /**
   * The cost of one policy summed over {@code traces}, each run charged to the same time (the
   * trace's end and {@link Simulator#MAX_TAIL}): a run that settled sooner is charged the replicas
   * it settled at until then, so a candidate gains nothing by ending its run early.
   */
  public static double cost(
      ScalingPolicy policy,
      Pipeline pipeline,
      SimulatedService service,
      List<Trace> traces,
      Comparison comparison,
      Objective objective) {
    double sum = 0;
    for (Trace t : traces) {
      double horizon = t.end() + Simulator.MAX_TAIL;
      for (int i = 0; i < comparison.offsets(); i++) {
        Summary s =
            Simulator.run(
                    policy.name(),
                    policy,
                    pipeline,
                    service,
                    t,
                    new Simulator.Run(
                        i,
                        comparison.offsets(),
                        t.end() + Comparison.TAIL,
                        comparison.slo(),
                        false))
                .summary();
        double rest = Math.max(0, horizon - s.end()) * s.replicas();
        sum += (objective.cost(s, service) + rest) / comparison.offsets();
      }
    }
    return sum;
  }

  /** A point of the search: a target and a behaviour. */
  private record Point(double target, Behavior behavior) {

    static final int SETTINGS = 5;

    ScalingPolicy policy(String name, DoubleFunction<List<MetricRule>> rules, int min, int max) {
      return new ScalingPolicy(name, min, max, rules.apply(target), behavior);
    }

    /** The points that differ from this one in one setting, a list per setting. */
    List<List<Point>> lines(Space space) {
      List<List<Point>> lines = new ArrayList<>();
      lines.add(space.targets().stream().map(t -> new Point(t, behavior)).toList());
      lines.add(
          space.downWindows().stream()
              .map(w -> new Point(target, behavior.withDownWindow(w)))
              .toList());
      lines.add(
          space.upLimits().stream().map(l -> new Point(target, behavior.withUpLimits(l))).toList());
      lines.add(
          space.warmups().stream().map(w -> new Point(target, behavior.withWarmup(w))).toList());
      lines.add(
          space.lookaheads().stream()
              .map(l -> new Point(target, behavior.withLookahead(l)))
              .toList());
      return lines;
    }

    String describe() {
      return String.format(
          "target %.0f%%, window.down %s, limits.up %s, warmup %s%s",
          target,
          Durations.format(behavior.downWindow()),
          behavior.upLimits().isEmpty() ? "none" : behavior.upLimits(),
          Durations.format(behavior.warmup()),
          behavior.lookahead().isZero()
              ? ""
              : ", forecast " + Durations.format(behavior.lookahead()));
    }
  }
}
