package dev.dockscale.simulator;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Autoscaler;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScaleIn;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a load trace through the decision core. Time advances in steps of at most a second (for
 * the accounting) and the policy decides every {@code interval}; decisions take effect at once (a
 * new replica starts, and is ready {@code startup} later; a removed replica is gone). The model:
 * each ready replica serves up to its {@code cpus}; CPU % per replica is {@code min(100, demand /
 * (ready * cpus) * 100)}; demand above the ready capacity is unserved.
 */
public final class Simulator {

  /** One row of the output: the state at a decision. */
  public record Row(
      String policy,
      double t,
      double demand,
      int replicas,
      int ready,
      Double cpuPct,
      int desired,
      String action,
      String reason) {}

  /** Rows and summary of one policy on one trace. */
  public record Result(String policy, List<Row> rows, Summary summary) {}

  private record SimReplica(int id, double startedAt, double readyAt) {}

  /** The simulation's t = 0. */
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(double seconds) {
    return START.plusNanos(Math.round(seconds * 1e9));
  }

  private Simulator() {}

  public static Result run(
      String policyName,
      ScalingPolicy policy,
      Duration interval,
      SimulatedService service,
      Trace trace) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be > 0");
    }
    ManualClock clock = new ManualClock(START);
    Autoscaler autoscaler = new Autoscaler(policy, clock);
    double every = interval.toNanos() / 1e9;
    double step = Math.min(1.0, every);
    List<SimReplica> replicas = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    int nextId = 1;
    // The service has been running at its minimum for a while when the trace starts.
    for (; nextId <= policy.min(); nextId++) {
      replicas.add(new SimReplica(nextId, -3600, -3600));
    }
    double containerSeconds = 0;
    double overloadSeconds = 0;
    double unserved = 0;
    int events = 0;
    int directionChanges = 0;
    int lastDirection = 0;
    double nextDecision = 0;
    long steps = Math.round(trace.end() / step);

    for (long i = 0; i <= steps; i++) {
      double t = i * step;
      clock.set(at(t));
      Trace.Point point = trace.at(t);
      int ready = (int) replicas.stream().filter(r -> r.readyAt() <= t).count();
      double capacity = ready * service.cpus();

      if (t + 1e-9 >= nextDecision) {
        nextDecision += every;
        Double cpuPct = ready == 0 ? null : Math.min(100.0, point.demand() / capacity * 100.0);
        Double memPct =
            ready == 0 || Double.isNaN(point.memoryMb())
                ? null
                : Math.min(100.0, point.memoryMb() / (ready * service.memoryMb()) * 100.0);
        List<ReplicaView> views = new ArrayList<>();
        for (SimReplica r : replicas) {
          boolean isReady = r.readyAt() <= t;
          Map<Metric, Double> readings = new EnumMap<>(Metric.class);
          if (isReady) {
            readings.put(Metric.CPU, cpuPct);
            if (memPct != null) {
              readings.put(Metric.MEMORY, memPct);
            }
          }
          views.add(ReplicaView.of("r" + r.id(), at(r.startedAt()), isReady, readings));
        }
        Decision d = autoscaler.decide(views);
        // The simulated runtime carries every decision out at once.
        autoscaler.scaled(d.current(), d.desired());
        rows.add(
            new Row(
                policyName,
                t,
                point.demand(),
                replicas.size(),
                ready,
                cpuPct,
                d.desired(),
                d.action().key(),
                d.reason()));
        if (d.changes()) {
          events++;
          int direction = Integer.signum(d.desired() - d.current());
          if (lastDirection != 0 && direction != lastDirection) {
            directionChanges++;
          }
          lastDirection = direction;
        }
        while (replicas.size() < d.desired()) {
          replicas.add(new SimReplica(nextId++, t, t + service.startup().toNanos() / 1e9));
        }
        if (replicas.size() > d.desired()) {
          replicas.removeAll(
              ScaleIn.victims(
                  replicas, replicas.size() - d.desired(), r -> r.readyAt() <= t, SimReplica::id));
        }
        ready = (int) replicas.stream().filter(r -> r.readyAt() <= t).count();
        capacity = ready * service.cpus();
      }
      if (i < steps) {
        containerSeconds += replicas.size() * step;
        if (point.demand() > capacity + 1e-9) {
          overloadSeconds += step;
          unserved += (point.demand() - capacity) * step;
        }
      }
    }
    return new Result(
        policyName,
        rows,
        new Summary(
            policyName, containerSeconds, overloadSeconds, unserved, events, directionChanges));
  }
}
