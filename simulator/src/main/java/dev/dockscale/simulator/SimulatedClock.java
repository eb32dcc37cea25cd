package dev.dockscale.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's time, moved by the simulator; the decision core reads it like any clock. */
final class SimulatedClock extends Clock {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private Instant now = START;

  void set(double seconds) {
    now = START.plusNanos(Math.round(seconds * 1e9));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
