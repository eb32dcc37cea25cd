package dev.dockscale.bench;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.ReplicaView;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A service of a fixed number of replicas as the engine observes it at each tick, from a seeded
 * random source. The load swings slowly from {@value #LOW} % to {@value #HIGH} % CPU and back, so
 * it crosses every preset's thresholds (classic's 20 and 70, HPA's target 80, dockscale's target
 * 65); each replica reads the load plus noise. At every tick a few replicas were just started and
 * are not ready (no readings yet), a few are ready but still warming up, and a few ready ones have
 * no sample yet: the cases the decision core treats apart.
 */
final class SyntheticService {
  static final double LOW = 15;
  static final double HIGH = 100;
  static final Duration PERIOD = Duration.ofMinutes(10);
  static final double NOISE = 10;
  static final double NOT_READY = 0.02;
  static final double WARMING_UP = 0.03;
  static final double UNSAMPLED = 0.01;

  /** How long a replica takes to become ready (the sample backend's 2 s). */
  static final Duration STARTUP = Duration.ofSeconds(2);

  private final Instant start;
  private final Duration warmup;
  private final Random random;
  private final String[] ids;
  private final Instant[] startedLongAgo;

  /**
   * @param start when the load's swing starts
   * @param warmup the policy's warm-up: replicas warming up started less than this before the tick
   */
  SyntheticService(int replicas, Instant start, Duration warmup, long seed) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
    }
    this.start = start;
    this.warmup = warmup;
    this.random = new Random(seed);
    this.ids = new String[replicas];
    this.startedLongAgo = new Instant[replicas];
    for (int i = 0; i < replicas; i++) {
      ids[i] = "r" + (i + 1);
      startedLongAgo[i] = start.minus(Duration.ofHours(1)).minusSeconds(random.nextInt(3600));
    }
  }

  int size() {
    return ids.length;
  }

  /** The load's level at {@code now}: the CPU % an average replica reads. */
  double level(Instant now) {
    double phase = 2 * Math.PI * Duration.between(start, now).toMillis() / PERIOD.toMillis();
    return LOW + (HIGH - LOW) * (1 - Math.cos(phase)) / 2;
  }

  /** The replicas as the engine hands them to the core at {@code now} (as Stream.toList does). */
  List<ReplicaView> observe(Instant now) {
    double level = level(now);
    return IntStream.range(0, ids.length).mapToObj(i -> replica(i, now, level)).toList();
  }

  private ReplicaView replica(int i, Instant now, double level) {
    double draw = random.nextDouble();
    if (draw < NOT_READY) {
      return ReplicaView.of(ids[i], before(now, STARTUP), false, Map.of());
    }
    if (draw < NOT_READY + WARMING_UP) {
      // A JIT warming up burns CPU: a warming replica reads above the load.
      return ReplicaView.of(ids[i], before(now, warmup), true, readings(level + 2 * NOISE));
    }
    if (draw < NOT_READY + WARMING_UP + UNSAMPLED) {
      return ReplicaView.of(ids[i], startedLongAgo[i], true, Map.of());
    }
    return ReplicaView.of(ids[i], startedLongAgo[i], true, readings(level));
  }

  /** An instant within {@code d} before {@code now} ({@code now} itself when {@code d} is zero). */
  private Instant before(Instant now, Duration d) {
    long millis = d.toMillis();
    return millis == 0 ? now : now.minusMillis(random.nextLong(millis));
  }

  private Map<Metric, Double> readings(double cpu) {
    Map<Metric, Double> readings = new EnumMap<>(Metric.class);
    readings.put(Metric.CPU, clamp(cpu + NOISE * random.nextGaussian()));
    readings.put(Metric.MEMORY, clamp(40 + NOISE * random.nextGaussian()));
    return readings;
  }

  private static double clamp(double percent) {
    return Math.max(0, Math.min(100, percent));
  }
}
