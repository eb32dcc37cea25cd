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
 * Replays a load trace through the decision core, charging what a real service charges. Time moves
 * in steps of {@link #STEP}. Each step, the trace's demand (cores) arrives as requests ({@link
 * Requests}); ready replicas serve them, less the start-up burst of the young ones. The policy
 * decides every {@code pipeline.sync()} on readings the {@link Pipeline} lets it see. A new replica
 * costs from its start and serves after {@code startup}; a removed one stops taking requests at
 * once but costs until its {@code drain} is over. A run goes on past the trace's end (at its last
 * demand) until {@code horizon}, and then until the policy has settled (see {@link #settled}), at
 * most an hour past the trace.
 */
public final class Simulator {

  /** The simulation's time step, in seconds. */
  static final double STEP = 0.25;

  /** The golden ratio's fractional part: offsets spread by it cover a period evenly. */
  private static final double GOLDEN = 0.6180339887498949;

  /** How long a run may go on past the trace's end to get back to its minimum. */
  static final double MAX_TAIL = 3600;

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

  /**
   * Which of {@code offsets} runs this is (its sync and scrape start {@code offset / offsets} of a
   * period late, so that the grid does not line up with the trace's edges), how long it runs at
   * least, the SLO bound, and whether to keep the latency distribution (for percentiles; slower).
   */
  public record Run(int offset, int offsets, double horizon, Duration slo, boolean distribution) {
    public Run {
      if (offsets < 1 || offset < 0 || offset >= offsets) {
        throw new IllegalArgumentException("offset must be from 0 to offsets - 1");
      }
    }
  }

  private static final class SimReplica {
    final int id;
    final double startedAt;
    final double readyAt;
    double gone = Double.NaN;

    SimReplica(int id, double startedAt, double readyAt) {
      this.id = id;
      this.startedAt = startedAt;
      this.readyAt = readyAt;
    }

    boolean ready(double t) {
      return readyAt <= t + 1e-9;
    }

    boolean draining() {
      return !Double.isNaN(gone);
    }
  }

  /** The simulation's t = 0. */
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(double seconds) {
    return START.plusNanos(Math.round(seconds * 1e9));
  }

  private final String name;
  private final ScalingPolicy policy;
  private final Pipeline pipeline;
  private final SimulatedService service;
  private final Trace trace;
  private final Run run;
  private final double burstFor;
  private final History history = new History();
  private final List<SimReplica> replicas = new ArrayList<>();

  private Simulator(
      String name,
      ScalingPolicy policy,
      Pipeline pipeline,
      SimulatedService service,
      Trace trace,
      Run run) {
    this.name = name;
    this.policy = policy;
    this.pipeline = pipeline;
    this.service = service;
    this.trace = trace;
    this.run = run;
    this.burstFor = SimulatedService.seconds(service.burstFor());
  }

  public static Result run(
      String name,
      ScalingPolicy policy,
      Pipeline pipeline,
      SimulatedService service,
      Trace trace,
      Run run) {
    return new Simulator(name, policy, pipeline, service, trace, run).run();
  }

  private Result run() {
    ManualClock clock = new ManualClock(START);
    Autoscaler autoscaler = new Autoscaler(policy, clock);
    Requests requests =
        new Requests(service, SimulatedService.seconds(run.slo()), run.distribution());
    double sync = SimulatedService.seconds(pipeline.sync());
    double scrape = SimulatedService.seconds(pipeline.scrape());
    double syncOffset = onGrid(sync * run.offset() / run.offsets());
    // A scrape (off the decision) lands a share of a scrape period before the sync, spread over
    // the offsets by the golden ratio: both the readings' age at a decision and the scrapes' phase
    // against the trace are spread over the period, and not in step with each other.
    double age = scrape * (((run.offset() + 0.5) * GOLDEN) % 1.0);
    double scrapeOffset =
        pipeline.atDecision()
            ? syncOffset
            : Math.floorMod(Math.round((syncOffset - age) / STEP), Math.round(scrape / STEP))
                * STEP;
    double startup = SimulatedService.seconds(service.startup());
    double drain = SimulatedService.seconds(service.drain());
    double rpsPerCore = 1 / SimulatedService.seconds(service.requestCpu());
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
    double nextDecision = syncOffset;
    double stopBy = Math.max(run.horizon(), trace.end() + MAX_TAIL);
    double lastChange = 0;
    double t = 0;
    for (long i = 0; ; i++) {
      t = i * STEP;
      double now = t;
      replicas.removeIf(r -> r.draining() && r.gone <= now + 1e-9);
      if (t >= Math.max(run.horizon(), trace.end()) - 1e-9
          && (settled(t, lastChange) || t >= stopBy - 1e-9)) {
        break;
      }
      clock.set(at(t));
      Trace.Point point = trace.at(t);
      if (t + 1e-9 >= nextDecision) {
        nextDecision += sync;
        List<ReplicaView> views = new ArrayList<>();
        int ready = 0;
        for (SimReplica r : replicas) {
          if (!r.draining()) {
            views.add(view(r, t, point, scrape, scrapeOffset));
            ready += r.ready(t) ? 1 : 0;
          }
        }
        Decision d = autoscaler.decide(views);
        // The simulated runtime carries every decision out at once.
        autoscaler.scaled(d.current(), d.desired());
        rows.add(
            new Row(
                name,
                t,
                point.demand(),
                views.size(),
                ready,
                ready == 0 ? null : history.last() * 100,
                d.desired(),
                d.action().key(),
                d.reason()));
        if (d.changes()) {
          lastChange = t;
          events++;
          int direction = Integer.signum(d.desired() - d.current());
          if (lastDirection != 0 && direction != lastDirection) {
            directionChanges++;
          }
          lastDirection = direction;
        }
        List<SimReplica> counted = replicas.stream().filter(r -> !r.draining()).toList();
        for (int n = counted.size(); n < d.desired(); n++) {
          replicas.add(new SimReplica(nextId++, t, t + startup));
        }
        if (counted.size() > d.desired()) {
          for (SimReplica victim :
              ScaleIn.victims(
                  counted, counted.size() - d.desired(), r -> r.ready(now), r -> r.id)) {
            victim.gone = t + drain;
          }
        }
      }
      replicas.removeIf(r -> r.draining() && r.gone <= now + 1e-9);
      double capacity = 0;
      for (SimReplica r : replicas) {
        if (!r.draining() && r.ready(t)) {
          capacity += 1 - burst(r, t);
        }
      }
      double rate = point.demand() * rpsPerCore;
      double served = requests.step(rate, capacity, STEP);
      double work = capacity <= 0 ? 0 : served / (capacity * service.requestsPerReplica());
      history.add(Math.min(1, work), rate, served);
      containerSeconds += replicas.size() * STEP;
      double coreCapacity = capacity * service.cpus();
      if (point.demand() > coreCapacity + 1e-9) {
        overloadSeconds += STEP;
        unserved += (point.demand() - coreCapacity) * STEP;
      }
    }
    double p95 = requests.percentile(0.95);
    return new Result(
        name,
        rows,
        new Summary(
            name,
            containerSeconds,
            overloadSeconds,
            unserved,
            requests.total(),
            requests.sloShare(),
            requests.failedShare(),
            p95,
            events,
            directionChanges,
            t,
            replicas.size()));
  }

  /**
   * Whether the run may end: back at the minimum with nothing draining, or holding a steady count
   * (nothing changed for {@link Comparison#TAIL}, nothing draining) at a load that keeps it above.
   */
  private boolean settled(double t, double lastChange) {
    boolean draining = replicas.stream().anyMatch(SimReplica::draining);
    return !draining
        && (replicas.size() <= policy.min() || t - lastChange >= Comparison.TAIL - 1e-9);
  }

  /** The share of its CPU a ready replica spends on its start-up burst at {@code t}. */
  private double burst(SimReplica r, double t) {
    return t < r.readyAt + burstFor ? service.burstShare() : 0;
  }

  /** What the policy sees of a replica at a decision at {@code t}. */
  private ReplicaView view(
      SimReplica r, double t, Trace.Point point, double scrape, double scrapeOffset) {
    Map<Metric, Double> readings = new EnumMap<>(Metric.class);
    double scraped = scrapeOffset + Math.floor((t - scrapeOffset) / scrape + 1e-9) * scrape;
    double from = Math.max(scraped - SimulatedService.seconds(pipeline.window()), r.readyAt);
    if (r.ready(t) && scraped > from + 1e-9) {
      double b = service.burstShare();
      double burstOverlap =
          Math.max(0, Math.min(scraped, r.readyAt + burstFor) - from) / (scraped - from);
      double bursting = b * burstOverlap;
      double work = history.mean(from, scraped);
      if (Double.isNaN(work)) {
        // Nothing measured yet (the trace just started): no sample.
        return ReplicaView.of("r" + r.id, at(r.startedAt), true, readings);
      }
      readings.put(Metric.CPU, (work * (1 - bursting) + bursting) * 100);
      long ready = replicas.stream().filter(x -> !x.draining() && x.ready(t)).count();
      if (pipeline.demand()) {
        // The history sums a rate per step: per replica and second, that is sum * STEP / span.
        double share = STEP / ((scraped - from) * ready);
        readings.put(Metric.RPS, history.served(from, scraped) * share);
        readings.put(Metric.ARRIVALS, history.arrived(from, scraped) * share);
      }
      if (!Double.isNaN(point.memoryMb())) {
        readings.put(
            Metric.MEMORY, Math.min(100.0, point.memoryMb() / (ready * service.memoryMb()) * 100));
      }
    }
    return ReplicaView.of("r" + r.id, at(r.startedAt), r.ready(t), readings);
  }

  private static double onGrid(double seconds) {
    return Math.floor(seconds / STEP + 1e-9) * STEP;
  }

  /** Per step: the ready replicas' mean work (0 to 1), arrivals and served, as prefix sums. */
  private static final class History {
    private double[] work = new double[1024];
    private double[] arrived = new double[1024];
    private double[] served = new double[1024];
    private int n;
    private double last;

    void add(double w, double arrivals, double done) {
      if (n + 1 >= work.length) {
        work = java.util.Arrays.copyOf(work, work.length * 2);
        arrived = java.util.Arrays.copyOf(arrived, arrived.length * 2);
        served = java.util.Arrays.copyOf(served, served.length * 2);
      }
      work[n + 1] = work[n] + w;
      arrived[n + 1] = arrived[n] + arrivals;
      served[n + 1] = served[n] + done;
      n++;
      last = w;
    }

    double last() {
      return last;
    }

    /** Mean work over the steps in [from, to) seconds; NaN when no step of it has run. */
    double mean(double from, double to) {
      int a = index(from);
      int b = index(to);
      return b <= a ? Double.NaN : (work[b] - work[a]) / (b - a);
    }

    /** Arrival rates summed over the steps in [from, to). */
    double arrived(double from, double to) {
      return arrived[index(to)] - arrived[index(from)];
    }

    /** Served rates summed over the steps in [from, to). */
    double served(double from, double to) {
      return served[index(to)] - served[index(from)];
    }

    private int index(double seconds) {
      return Math.max(0, Math.min(n, (int) Math.round(seconds / STEP)));
    }
  }
}
