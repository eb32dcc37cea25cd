package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Autoscaler;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's decisions, whatever runs its replicas: the decision core's count, or the count of a
 * pause or override in force; what was carried out, for the core's cooldowns; and each decision
 * recorded with its inputs and reason.
 */
final class Decider {

  private static final Logger DECISIONS = LoggerFactory.getLogger("dockscale.decisions");

  private final Clock clock;
  private final Controls controls;
  private final Consumer<LoggedDecision> log;
  private Autoscaler autoscaler;
  private Decision last;

  Decider(ScalingPolicy policy, Clock clock, Controls controls, Consumer<LoggedDecision> log) {
    this.autoscaler = new Autoscaler(policy, clock);
    this.clock = clock;
    this.controls = controls;
    this.log = log;
  }

  /** The decision core's view of replicas: name, start, readiness and the readings of each. */
  static List<ReplicaView> views(List<Replica> replicas, Map<String, ReplicaMetrics> readings) {
    return replicas.stream()
        .map(
            r ->
                ReplicaView.of(
                    r.name(),
                    r.startedAt(),
                    r.ready(),
                    readings.containsKey(r.id()) ? readings.get(r.id()).readings() : Map.of()))
        .toList();
  }

  /** A changed policy gets a fresh decision core: its windows meant something else. */
  void update(ScalingPolicy changed) {
    if (!changed.equals(autoscaler.policy())) {
      autoscaler = new Autoscaler(changed, clock);
    }
  }

  /** The last decision, null before the first. */
  Decision last() {
    return last;
  }

  /**
   * The decision of this pass: the override's count while one is in force, the count it had while
   * paused, the decision core's otherwise. A pause or override says so in the reason and as an
   * adjustment (so sampling between ticks does not run a pass for pressure it would not act on).
   */
  Decision decide(ServiceSpec spec, List<ReplicaView> views, Instant now) {
    Decision decision = pinnedOrDecided(spec, views, now);
    DECISIONS.info("{} {}", spec.name(), decision.line());
    last = decision;
    return decision;
  }

  /**
   * One pass's decision: on a deciding pass (or before the first decision), a new one and its
   * count; on a pass on an event, which only repairs, the last decision and its count (never a
   * scale-in), within the policy's min and max as they are now.
   *
   * @param decided whether this pass decided (and so may scale in, and records its decision)
   */
  record Pass(Decision decision, int desired, boolean decided) {}

  Pass pass(ServiceSpec spec, List<ReplicaView> views, boolean decide, Instant now) {
    if (decide || last == null) {
      Decision d = decide(spec, views, now);
      return new Pass(d, d.desired(), true);
    }
    int kept = spec.policy().clamp(Math.max(last.desired(), spec.policy().min()));
    return new Pass(last, kept, false);
  }

  private Decision pinnedOrDecided(ServiceSpec spec, List<ReplicaView> views, Instant now) {
    Control control = controls.current(spec.name());
    int current = views.size();
    int ready = (int) views.stream().filter(ReplicaView::ready).count();
    Control.Override o = control.override();
    if (o != null && o.replicas() != spec.policy().clamp(o.replicas())) {
      controls.clearOverrideIf(
          spec.name(), o, "the config, whose replicas.min/max no longer allow " + o.replicas());
      o = null;
    }
    if (o != null) {
      String note =
          "override to "
              + o.replicas()
              + " by "
              + o.by()
              + " at "
              + o.at()
              + ", until "
              + o.until();
      return pinned(now, current, ready, o.replicas(), "override", note, views);
    }
    if (control.paused()) {
      Control.Pause p = control.pause();
      int kept = spec.policy().clamp(last != null ? last.desired() : current);
      String note =
          "paused by "
              + p.by()
              + " at "
              + p.at()
              + ": no scaling decision, keeps the "
              + kept
              + " replica(s) it had";
      return pinned(now, current, ready, kept, "pause", note, views);
    }
    return autoscaler.decide(views);
  }

  private static Decision pinned(
      Instant now,
      int current,
      int ready,
      int desired,
      String stage,
      String note,
      List<ReplicaView> views) {
    String action = desired > current ? "scale up" : desired < current ? "scale down" : "hold";
    return Decision.scaleTo(
        now,
        current,
        ready,
        desired,
        action + " (" + note + ")",
        List.of(),
        List.of(new Decision.Adjustment(stage, current, desired, note)),
        views);
  }

  /**
   * Records what the runtime confirmed (for the cooldowns); returns it, or null when the count did
   * not change.
   */
  LoggedDecision.Scaled confirm(ServiceSpec spec, Decision decision, int before, int after) {
    // Restoring min (a first start, replacing lost replicas) is not a scale-out: no cooldown.
    int from = after > before ? Math.max(before, spec.policy().min()) : before;
    autoscaler.scaled(from, after);
    if (after != decision.desired() && decision.desired() != decision.current()) {
      DECISIONS.warn(
          "{} {} -> {} carried out only to {}; the cooldown counts what was done",
          spec.name(),
          decision.current(),
          decision.desired(),
          after);
    }
    return from == after ? null : new LoggedDecision.Scaled(from, after);
  }

  /** Says why a decision to change the count was not carried out this pass. */
  void notCarriedOut(ServiceSpec spec, Decision decision, List<String> problems) {
    if (decision.desired() != decision.current()) {
      DECISIONS.warn(
          "{} {} -> {} not carried out: {}",
          spec.name(),
          decision.current(),
          decision.desired(),
          String.join("; ", problems));
    }
  }

  /** Records a deciding pass's decision, with what was carried out (null: nothing changed). */
  void record(ServiceSpec spec, Decision decision, LoggedDecision.Scaled scaled) {
    log.accept(
        new LoggedDecision(
            0, spec.name(), decision, scaled, PolicyFingerprint.of(autoscaler.policy())));
  }

  /**
   * Takes back an earlier run's decision of this service (before the first pass), so that its
   * windows and cooldowns continue; one made under another policy is not taken back.
   */
  void recall(LoggedDecision past) {
    if (!PolicyFingerprint.of(autoscaler.policy()).equals(past.policy())) {
      // Made under another policy (or an unknown one): its windows meant something else.
      return;
    }
    autoscaler.recall(past.decision());
    if (past.scaled() != null) {
      autoscaler.recallScaled(past.decision().at(), past.scaled().before(), past.scaled().after());
    }
  }
}
