package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand controls of every service, set from any thread (the API's) and read by the loop at each
 * pass. A call that is refused (an unknown service, an override outside min/max) changes nothing.
 *
 * <p>A change looks the service up and makes its change under one lock, and a reload swaps the
 * config and forgets removed services' controls under the same lock ({@link #reconfigure}): a
 * control either lands before the swap (and goes with its service) or is refused after it, never
 * left behind for a service that is gone to take up again if it comes back.
 */
final class Controls {

  private static final Logger LOG = LoggerFactory.getLogger(Controls.class);

  /** The longest an override may last; a longer pin belongs in the config. */
  static final Duration MAX_TTL = Duration.ofDays(1);

  private final Clock clock;
  private final Supplier<Map<String, ServiceSpec>> services;
  private final Map<String, Control> controls = new ConcurrentHashMap<>();
  private volatile Consumer<Map<String, Control>> onChange = c -> {};

  /** {@code services} gives the running config's services whenever asked (it may be reloaded). */
  Controls(Clock clock, Supplier<Map<String, ServiceSpec>> services) {
    this.clock = clock;
    this.services = services;
  }

  /** Called with every service's controls after each change (to keep them across a restart). */
  void onChange(Consumer<Map<String, Control>> listener) {
    this.onChange = listener;
  }

  private void changed() {
    onChange.accept(Map.copyOf(controls));
  }

  /**
   * Takes back the controls of an earlier run: those of services still configured, an override only
   * while it lasts and while its count is still within the service's min and max (a reload may have
   * changed them); what is dropped is said in the log.
   */
  synchronized void restore(Map<String, Control> saved) {
    Instant now = clock.instant();
    Map<String, ServiceSpec> specs = services.get();
    saved.forEach(
        (service, c) -> {
          Control kept = restored(service, c, specs.get(service), now);
          if (kept.paused() || kept.override() != null) {
            controls.put(service, kept);
          }
        });
    if (!saved.isEmpty()) {
      changed();
    }
  }

  /** What of one service's saved controls still holds ({@link Control#NONE} for none), logged. */
  private static Control restored(String service, Control saved, ServiceSpec spec, Instant now) {
    if (spec == null) {
      LOG.warn(
          "{}: a saved pause or override dropped: the service is no longer configured", service);
      return Control.NONE;
    }
    Control.Override o = saved.override();
    if (o != null && o.expired(now)) {
      LOG.info(
          "{}: the saved override to {} expired at {} while dockscale was stopped",
          service,
          o.replicas(),
          o.until());
      o = null;
    } else if (o != null
        && (o.replicas() < spec.policy().min() || o.replicas() > spec.policy().max())) {
      LOG.warn(
          "{}: the saved override to {} dropped: outside replicas.min {} and replicas.max {} now",
          service,
          o.replicas(),
          spec.policy().min(),
          spec.policy().max());
      o = null;
    }
    Control kept = new Control(saved.pause(), o);
    if (kept.paused() || o != null) {
      LOG.info(
          "{}: taken back from before the restart:{}{}",
          service,
          kept.paused() ? " paused by " + kept.pause().by() : "",
          o == null ? "" : " override to " + o.replicas() + " until " + o.until());
    }
    return kept;
  }

  synchronized Control pause(String service, String by) {
    spec(service);
    return change(
        service, c -> c.withPause(new Control.Pause(clock.instant(), by)), "paused by " + by);
  }

  synchronized Control resume(String service, String by) {
    spec(service);
    return change(service, c -> c.withPause(null), "resumed by " + by);
  }

  /**
   * Pins {@code service} to {@code replicas} for {@code ttl}.
   *
   * @throws RefusedException when {@code replicas} is outside the service's min/max or {@code ttl}
   *     is not from 1 s to {@link #MAX_TTL}, saying what to send instead
   */
  synchronized Control override(String service, int replicas, Duration ttl, String by) {
    ServiceSpec spec = spec(service);
    int min = spec.policy().min();
    int max = spec.policy().max();
    if (replicas < min || replicas > max) {
      throw new RefusedException(
          "replicas",
          "replicas "
              + replicas
              + " is outside "
              + service
              + "'s replicas.min "
              + min
              + " and replicas.max "
              + max
              + ": send a count from "
              + min
              + " to "
              + max
              + " (or change the config)");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new RefusedException(
          "ttl", "ttl must be from 1s to 24h, e.g. 10m; for longer, change replicas in the config");
    }
    Instant now = clock.instant();
    Control.Override o = new Control.Override(replicas, now, now.plus(ttl), by);
    return change(
        service,
        c -> c.withOverride(o),
        "override to " + replicas + " by " + by + " until " + o.until());
  }

  synchronized Control clearOverride(String service, String by) {
    spec(service);
    return change(service, c -> c.withOverride(null), "override removed by " + by);
  }

  /** Applies {@code how} to the service's controls, says {@code what} in the log, keeps them. */
  private Control change(String service, UnaryOperator<Control> how, String what) {
    Control c = controls.compute(service, (k, old) -> how.apply(orNone(old)));
    LOG.info("{}: {}", service, what);
    changed();
    return c;
  }

  /**
   * Removes {@code service}'s override only if it is still {@code expected}: one set meanwhile (the
   * API's, between the loop's {@link #current} and this) stays. Returns whether it was removed.
   */
  synchronized boolean clearOverrideIf(String service, Control.Override expected, String by) {
    Control now = controls.get(service);
    if (now == null || now.override() != expected) {
      return false;
    }
    controls.put(service, now.withOverride(null));
    LOG.info("{}: override to {} removed by {}", service, expected.replicas(), by);
    changed();
    return true;
  }

  /** The service's controls now; an override that has expired is dropped (and logged) here. */
  Control current(String service) {
    Instant now = clock.instant();
    Control c = controls.getOrDefault(service, Control.NONE);
    Control.Override o = c.override();
    if (o != null && o.expired(now)) {
      // Only that override: one set meanwhile stays.
      controls.computeIfPresent(
          service, (k, old) -> old.override() == o ? old.withOverride(null) : old);
      LOG.info("{}: override to {} by {} expired at {}", service, o.replicas(), o.by(), o.until());
      changed();
      return c.withOverride(null);
    }
    return c;
  }

  /**
   * Runs {@code swap} (the reload's switch to the new config) and forgets the controls of services
   * not in {@code kept}, with no control change in between.
   */
  synchronized void reconfigure(Runnable swap, Set<String> kept) {
    swap.run();
    if (controls.keySet().retainAll(kept)) {
      changed();
    }
  }

  private ServiceSpec spec(String service) {
    Map<String, ServiceSpec> specs = services.get();
    ServiceSpec spec = specs.get(service);
    if (spec == null) {
      throw new NoSuchServiceException(service, specs.keySet());
    }
    return spec;
  }

  private static Control orNone(Control c) {
    return c == null ? Control.NONE : c;
  }
}
