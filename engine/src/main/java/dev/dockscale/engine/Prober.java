package dev.dockscale.engine;

import dev.dockscale.engine.ReadinessProbe.Outcome;
import dev.dockscale.engine.ReadinessProbe.Result;
import dev.dockscale.engine.ReadinessProbe.Target;
import dev.dockscale.engine.Replica.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the readiness of every running replica: a starting replica is probed every {@link #EAGER}
 * until it first answers (so it is seen ready within about that of listening), a ready or unhealthy
 * one every {@code health.interval}. {@code retries} failures in a row make a ready replica
 * unhealthy; one pass makes it ready again. A probe that could not be made (the probe channel is
 * down) changes nothing, and neither does a timeout while at least {@link #MIN_HOST_WIDE_TIMEOUTS},
 * and half, of the replicas that have passed once last timed out: that is the host or the probe
 * path too busy to answer in time, not each replica failing, and taking them all out of the
 * balancer would serve nobody. Each change calls {@code onChange}, so the engine acts at once.
 *
 * <p>{@link #poll} starts the probes that are due; a driver calls it often (the controller every
 * {@link #EAGER}; tests by hand). At most one probe per replica is in flight.
 */
final class Prober {

  static final Duration EAGER = Duration.ofMillis(100);

  /** The fewest replicas timing out at once that can say "the host" rather than "these". */
  static final int MIN_HOST_WIDE_TIMEOUTS = 3;

  private final ReadinessProbe probe;
  private final Clock clock;
  private final Runnable onChange;
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

  /** Whether the last answer of each replica that has passed once was a timeout, by id. */
  private final Map<String, Boolean> lastTimedOut = new ConcurrentHashMap<>();

  Prober(ReadinessProbe probe, Clock clock, Runnable onChange) {
    this.probe = probe;
    this.clock = clock;
    this.onChange = onChange;
  }

  /**
   * What is known of one replica's readiness.
   *
   * @param unhealthySince since when it has been unhealthy, null when it is not
   * @param waitingSince since when this run of the container has been probed without ever passing
   *     while the probe channel answered, null when it passed or the channel never answered: the
   *     start deadline counts from here, so a restart in place or a dead balancer never makes a
   *     healthy replica look like one that never started
   */
  record State(Readiness readiness, Instant unhealthySince, Instant waitingSince, String detail) {
    static final State NONE = new State(Readiness.UNKNOWN, null, null, "not probed");
  }

  private final class Tracked {
    final String id;
    final Instant startedAt;
    final Target target;
    final int retries;
    final Duration interval;
    volatile Readiness readiness = Readiness.UNKNOWN;
    volatile int failures;
    volatile Instant unhealthySince;
    volatile Instant waitingSince;
    volatile String detail = "not probed yet";
    volatile Instant due;
    volatile CompletableFuture<Result> inFlight;

    Tracked(String id, Instant startedAt, ProbeSpec spec) {
      this.id = id;
      this.startedAt = startedAt;
      this.target = spec.target();
      this.retries = spec.retries();
      this.interval = spec.interval();
      this.due = clock.instant();
    }

    /** The same run of the same container probed another way: what was learnt carries over. */
    synchronized Tracked reprobed(ProbeSpec spec) {
      Tracked t = new Tracked(id, startedAt, spec);
      t.readiness = readiness;
      t.unhealthySince = unhealthySince;
      t.waitingSince = waitingSince;
      t.detail = detail;
      return t;
    }

    ProbeSpec spec() {
      return new ProbeSpec(target, retries, interval);
    }

    synchronized void start() {
      if (inFlight != null) {
        return;
      }
      CompletableFuture<Result> f = probe.probe(target);
      inFlight = f;
      f.whenComplete((r, e) -> finish(e == null ? r : Result.unknown(e.toString())));
    }

    void finish(Result result) {
      boolean changed;
      synchronized (this) {
        inFlight = null;
        changed = record(result);
        Duration next = readiness == Readiness.UNKNOWN ? EAGER : interval;
        due = clock.instant().plus(next);
      }
      if (changed && tracked.get(id) == this) {
        onChange.run();
      }
    }

    /** Applies one result; true when the readiness changed. */
    private synchronized boolean record(Result result) {
      if (result.outcome() == Outcome.UNKNOWN) {
        return false;
      }
      boolean timeout = result.outcome() == Outcome.TIMEOUT;
      if (readiness != Readiness.UNKNOWN && tracked.get(id) == this) {
        lastTimedOut.put(id, timeout);
      }
      String hostWide = timeout && readiness != Readiness.UNKNOWN ? hostWide() : "";
      if (!hostWide.isEmpty()) {
        detail = result.detail() + "; not counted: " + hostWide;
        return false;
      }
      Readiness before = readiness;
      if (result.outcome() == Outcome.PASS) {
        failures = 0;
        unhealthySince = null;
        waitingSince = null;
        detail = "";
        readiness = Readiness.READY;
      } else {
        detail = result.detail();
        failures++;
        if (readiness == Readiness.UNKNOWN && waitingSince == null) {
          waitingSince = clock.instant();
        }
        if (readiness == Readiness.READY && failures >= retries) {
          readiness = Readiness.UNHEALTHY;
          unhealthySince = clock.instant();
        }
      }
      return readiness != before;
    }

    synchronized State state() {
      return new State(readiness, unhealthySince, waitingSince, detail);
    }
  }

  /** Whether this replica's last answer, once it had passed, was a timeout. */
  boolean timingOut(String id) {
    return Boolean.TRUE.equals(lastTimedOut.get(id));
  }

  /** Why timeouts now say more of the host than of the replicas, or "" when they do not. */
  String hostWide() {
    long out = lastTimedOut.values().stream().filter(Boolean::booleanValue).count();
    int answered = lastTimedOut.size();
    if (out < MIN_HOST_WIDE_TIMEOUTS || out * 2 < answered) {
      return "";
    }
    return out
        + " of "
        + answered
        + " replicas' last probes timed out (the host or the probe path is too busy to answer in"
        + " time, not this replica alone)";
  }

  /**
   * Tracks exactly these replicas from now on (each with how to probe it); a replica restarted in
   * place starts over as not ready, one probed another way (a reload changed its health settings)
   * keeps what was learnt. Returns the ones seen for the first time.
   */
  synchronized List<String> track(Map<Replica, ProbeSpec> replicas) {
    Set<String> keep = new HashSet<>();
    List<String> added = new ArrayList<>();
    replicas.forEach(
        (r, spec) -> {
          keep.add(r.id());
          Tracked t = tracked.get(r.id());
          if (t == null || !t.startedAt.equals(r.startedAt())) {
            tracked.put(r.id(), new Tracked(r.id(), r.startedAt(), spec));
            if (t == null) {
              added.add(r.id());
            }
          } else if (!t.spec().equals(spec)) {
            tracked.put(r.id(), t.reprobed(spec));
          }
        });
    tracked.keySet().retainAll(keep);
    lastTimedOut.keySet().retainAll(keep);
    return added;
  }

  /** How to probe one replica, and how often. */
  record ProbeSpec(Target target, int retries, Duration interval) {}

  /** Starts every probe that is due. */
  void poll() {
    Instant now = clock.instant();
    for (Tracked t : tracked.values()) {
      if (!t.due.isAfter(now)) {
        t.start();
      }
    }
  }

  /**
   * Probes these replicas now and waits (at most {@code max}) for their answers: what a pass does
   * for replicas it sees for the first time, so that replicas adopted after a restart keep their
   * place behind the balancer.
   */
  void probeNow(List<String> ids, Duration max) {
    List<CompletableFuture<Result>> waiting = new ArrayList<>();
    for (String id : ids) {
      Tracked t = tracked.get(id);
      if (t != null) {
        t.start();
        CompletableFuture<Result> f = t.inFlight;
        if (f != null) {
          waiting.add(f);
        }
      }
    }
    try {
      CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
          .get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Those not answered yet stay not ready; their answers arrive later and trigger a pass.
    }
  }

  State state(String id) {
    Tracked t = tracked.get(id);
    return t == null ? State.NONE : t.state();
  }
}
