package dev.dockscale.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The reference traces shipped in {@code simulator/traces/}, generated here so they can be
 * regenerated and checked: step, ramp, spike, noisy-flat, sawtooth, and a diurnal day compressed to
 * 20 minutes. Demand is in CPU cores; noise comes from fixed seeds.
 */
public final class ReferenceTraces {

  private ReferenceTraces() {}

  public static Map<String, String> all() {
    Map<String, String> traces = new LinkedHashMap<>();
    traces.put("step", step());
    traces.put("ramp", ramp());
    traces.put("spike", spike());
    traces.put("noisy-flat", noisyFlat());
    traces.put("sawtooth", sawtooth());
    traces.put("diurnal", diurnal());
    return traces;
  }

  private static StringBuilder header() {
    return new StringBuilder("t,demand\n");
  }

  private static void row(StringBuilder b, double t, double demand) {
    b.append(Reports.num(t))
        .append(',')
        .append(Reports.num(Math.round(demand * 1000) / 1000.0))
        .append('\n');
  }

  /** Quiet, then a sudden step to 3 cores for four minutes, then quiet again. */
  static String step() {
    StringBuilder b = header();
    row(b, 0, 0.3);
    row(b, 60, 3.0);
    row(b, 300, 0.3);
    row(b, 480, 0.3);
    return b.toString();
  }

  /**
   * A flash crowd: a 40-second climb from 0.2 to 5.5 cores (second by second), two minutes at the
   * top, two minutes down, then quiet.
   */
  static String ramp() {
    StringBuilder b = header();
    row(b, 0, 0.2);
    for (int t = 30; t <= 70; t++) {
      row(b, t, 0.2 + 5.3 * (t - 30) / 40.0);
    }
    for (int t = 195; t <= 315; t += 5) {
      row(b, t, 5.5 - 5.2 * (t - 190) / 125.0);
    }
    row(b, 480, 0.3);
    return b.toString();
  }

  /** A quiet baseline with two short spikes: 4 cores for 30 s, then 3 cores for 20 s. */
  static String spike() {
    StringBuilder b = header();
    row(b, 0, 0.3);
    row(b, 60, 4.0);
    row(b, 90, 0.3);
    row(b, 240, 3.0);
    row(b, 260, 0.3);
    row(b, 420, 0.3);
    return b.toString();
  }

  /** Ten minutes of 1.2 cores with +-5 % noise every second. */
  static String noisyFlat() {
    Random random = new Random(42);
    StringBuilder b = header();
    for (int t = 0; t <= 600; t++) {
      row(b, t, 1.2 * (1 + (random.nextDouble() * 2 - 1) * 0.05));
    }
    return b.toString();
  }

  /** Five teeth: a one-minute climb from 0.3 to 3 cores, then a sudden drop. */
  static String sawtooth() {
    StringBuilder b = header();
    for (int tooth = 0; tooth < 5; tooth++) {
      for (int s = 0; s < 60; s += 5) {
        row(b, tooth * 60 + s, 0.3 + 2.7 * s / 60.0);
      }
    }
    row(b, 300, 0.3);
    row(b, 360, 0.3);
    return b.toString();
  }

  /** A day compressed to 20 minutes: night at 0.3 cores, a midday peak of 3.5, +-3 % noise. */
  static String diurnal() {
    Random random = new Random(7);
    StringBuilder b = header();
    for (int t = 0; t <= 1200; t += 10) {
      double day = 0.3 + 3.2 * (1 - Math.cos(2 * Math.PI * t / 1200.0)) / 2;
      row(b, t, day * (1 + (random.nextDouble() * 2 - 1) * 0.03));
    }
    return b.toString();
  }
}
