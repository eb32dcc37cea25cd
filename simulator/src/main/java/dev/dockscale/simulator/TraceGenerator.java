package dev.dockscale.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded load shapes, a row a second, in cores for replicas of half a core (1 to 12 of them): the
 * same family and seed always give the same trace. Each seed draws its own levels, times and
 * lengths, so a policy tuned on some seeds can be graded on others.
 */
public enum TraceGenerator {
  /** A base load, a jump to a plateau for a few minutes, and back. */
  STEP {
    @Override
    void shape(Random r, Builder b) {
      double base = uniform(r, 0.2, 0.6);
      double high = uniform(r, 2, 5);
      double from = uniform(r, 40, 90);
      double length = uniform(r, 120, 300);
      b.hold(base, from).hold(high, length).hold(base, uniform(r, 60, 120));
    }
  },
  /** A climb over tens of seconds to a couple of minutes, a plateau, a descent. */
  RAMP {
    @Override
    void shape(Random r, Builder b) {
      double base = uniform(r, 0.2, 0.5);
      double top = uniform(r, 2.5, 5.5);
      b.hold(base, uniform(r, 30, 60))
          .line(base, top, uniform(r, 20, 120))
          .hold(top, uniform(r, 60, 180))
          .line(top, base, uniform(r, 60, 180))
          .hold(base, 60);
    }
  },
  /** A low load with one to three short spikes. */
  SPIKE {
    @Override
    void shape(Random r, Builder b) {
      double base = uniform(r, 0.2, 0.5);
      int spikes = 1 + r.nextInt(3);
      b.hold(base, uniform(r, 40, 80));
      for (int i = 0; i < spikes; i++) {
        b.hold(uniform(r, 2, 5), uniform(r, 10, 40)).hold(base, uniform(r, 60, 150));
      }
    }
  },
  /** Climbs that each end in a sudden drop. */
  SAWTOOTH {
    @Override
    void shape(Random r, Builder b) {
      double base = uniform(r, 0.2, 0.5);
      double top = uniform(r, 2, 4);
      int teeth = 3 + r.nextInt(4);
      b.hold(base, 30);
      for (int i = 0; i < teeth; i++) {
        b.line(base, top, uniform(r, 40, 90));
      }
      b.hold(base, 60);
    }
  },
  /** A day compressed into 15 to 25 minutes: low at night, a peak at noon, a few % of noise. */
  DIURNAL {
    @Override
    void shape(Random r, Builder b) {
      double night = uniform(r, 0.2, 0.5);
      double noon = uniform(r, 2.5, 4.5);
      double day = uniform(r, 900, 1500);
      for (int t = 0; t < day; t++) {
        double phase = Math.sin(Math.PI * t / day);
        double level = night + (noon - night) * phase * phase;
        b.add(level * (1 + 0.03 * r.nextGaussian()));
      }
    }
  },
  /** A sudden crowd (up within seconds) that thins out over minutes. */
  FLASH_CROWD {
    @Override
    void shape(Random r, Builder b) {
      double base = uniform(r, 0.2, 0.5);
      double peak = uniform(r, 3, 5.5);
      double decay = uniform(r, 60, 200);
      b.hold(base, uniform(r, 30, 90)).line(base, peak, uniform(r, 2, 6));
      for (int t = 0; t < 4 * decay; t++) {
        b.add(base + (peak - base) * Math.exp(-t / decay));
      }
      b.hold(base, 60);
    }
  },
  /** A flat load with noise: the level in the seed, the noise (in % of the level) given. */
  NOISE {
    @Override
    void shape(Random r, Builder b) {
      double level = uniform(r, 0.8, 3);
      for (int t = 0; t < 600; t++) {
        b.add(level * (1 + b.noise * r.nextGaussian()));
      }
    }
  };

  abstract void shape(Random r, Builder b);

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public Trace generate(long seed) {
    return generate(seed, 0);
  }

  /** The trace of this family for {@code seed}; {@code noise} is used by {@link #NOISE} only. */
  public Trace generate(long seed, double noise) {
    Builder b = new Builder(noise);
    shape(new Random(seed * 1_000_003L + ordinal()), b);
    String name = key() + (this == NOISE ? "-" + Math.round(noise * 100) + "%" : "") + "-s" + seed;
    return new Trace(name, b.points);
  }

  private static double uniform(Random r, double low, double high) {
    return low + (high - low) * r.nextDouble();
  }

  /** Rows a second, from t = 0. */
  static final class Builder {
    final double noise;
    final List<Trace.Point> points = new ArrayList<>();

    Builder(double noise) {
      this.noise = noise;
    }

    Builder add(double demand) {
      double rounded = Math.round(Math.max(0, demand) * 1000) / 1000.0;
      points.add(new Trace.Point(points.size(), rounded, Double.NaN));
      return this;
    }

    Builder hold(double demand, double seconds) {
      for (int i = 0; i < Math.round(seconds); i++) {
        add(demand);
      }
      return this;
    }

    Builder line(double from, double to, double seconds) {
      long n = Math.max(1, Math.round(seconds));
      for (int i = 0; i < n; i++) {
        add(from + (to - from) * i / n);
      }
      return this;
    }
  }
}
