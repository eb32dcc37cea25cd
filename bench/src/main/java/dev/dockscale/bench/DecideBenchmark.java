package dev.dockscale.bench;

import dev.dockscale.policy.Autoscaler;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decisions per second of the decision core: one {@link Autoscaler#decide} for a service of {@link
 * #replicas} replicas under each {@link Preset}, called as the reconcile loop calls it.
 *
 * <p>Each decision is one tick of a running loop. The clock moves on by the preset's interval
 * (HPA's 15 s, else the config's default 1 s), the replicas are a {@link SyntheticService} whose
 * load swings across the preset's thresholds (so the core scales up, holds and scales down, and its
 * windows, rate limits and cooldowns look at a real history), and the runtime confirms every
 * decision as the simulator's does. The service stays at {@link #replicas}: that is the size
 * measured.
 *
 * <p>Building the replica views is the engine's observation, not the decision, and a replica
 * warming up must have started just before its tick: an untimed setup builds the views of the next
 * {@value #TICKS} ticks, and each invocation decides them in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecideBenchmark {
  /** Decisions per invocation: enough that timing each invocation costs next to nothing. */
  static final int TICKS = 32;

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** The config's default {@code interval}, for presets that follow it. */
  static final Duration CONFIG_INTERVAL = Duration.ofSeconds(1);

  static final long SEED = 20260101L;

  @Param({"classic", "hpa", "dockscale"})
  public String preset;

  @Param({"10", "100", "1000"})
  public int replicas;

  private ManualClock clock;
  private Autoscaler autoscaler;
  private Duration interval;
  private SyntheticService service;
  private final List<List<ReplicaView>> nextTicks = new ArrayList<>(TICKS);

  @Setup(Level.Trial)
  public void startLoop() {
    Preset p =
        Preset.byKey(preset)
            .orElseThrow(
                () -> new IllegalArgumentException("no preset " + preset + ": " + Preset.keys()));
    // Room to scale both ways, so min and max shape few decisions.
    ScalingPolicy policy = ScalingPolicy.of(p, 1, 4 * replicas);
    clock = new ManualClock(START);
    autoscaler = new Autoscaler(policy, clock);
    interval = p.interval().orElse(CONFIG_INTERVAL);
    service = new SyntheticService(replicas, START, policy.behavior().warmup(), SEED);
  }

  @Setup(Level.Invocation)
  public void observeNextTicks() {
    nextTicks.clear();
    Instant at = clock.instant();
    for (int i = 0; i < TICKS; i++) {
      at = at.plus(interval);
      nextTicks.add(service.observe(at));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TICKS)
  public void decide(Blackhole blackhole) {
    for (List<ReplicaView> replicas : nextTicks) {
      blackhole.consume(tick(replicas));
    }
  }

  /** One tick of the loop: time moves on, the core decides, the runtime confirms the change. */
  Decision tick(List<ReplicaView> observed) {
    clock.advance(interval);
    Decision decision = autoscaler.decide(observed);
    autoscaler.scaled(decision.current(), decision.desired());
    return decision;
  }

  /** The views {@link #observeNextTicks} built, one list per tick. */
  List<List<ReplicaView>> nextTicks() {
    return nextTicks;
  }

  Instant now() {
    return clock.instant();
  }
}
