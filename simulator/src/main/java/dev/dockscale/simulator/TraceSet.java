package dev.dockscale.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The traces policies are tuned on, and the ones they are graded on: different seeds of the same
 * generators, and one family (the flash crowd) that tuning never sees. {@link Tuner} takes only
 * {@link #TRAINING}; every read of a set is counted, so a test can show that tuning never read the
 * held-out traces.
 */
public enum TraceSet {
  TRAINING(new long[] {1, 2}, new double[] {0.05, 0.15}, false),
  HELD_OUT(new long[] {101, 102, 103}, new double[] {0.02, 0.10, 0.25}, true);

  private final long[] seeds;
  private final double[] noise;
  private final boolean flashCrowd;
  private final AtomicInteger reads = new AtomicInteger();

  TraceSet(long[] seeds, double[] noise, boolean flashCrowd) {
    this.seeds = seeds;
    this.noise = noise;
    this.flashCrowd = flashCrowd;
  }

  public List<Trace> traces() {
    reads.incrementAndGet();
    List<Trace> traces = new ArrayList<>();
    for (TraceGenerator g : TraceGenerator.values()) {
      if (g == TraceGenerator.NOISE || (g == TraceGenerator.FLASH_CROWD && !flashCrowd)) {
        continue;
      }
      for (long seed : seeds) {
        traces.add(g.generate(seed));
      }
    }
    for (int i = 0; i < noise.length; i++) {
      traces.add(TraceGenerator.NOISE.generate(seeds[i % seeds.length], noise[i]));
    }
    return traces;
  }

  /** How many times {@link #traces} was called. */
  public int reads() {
    return reads.get();
  }
}
