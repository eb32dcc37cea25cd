package dev.dockscale.policy;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision.Adjustment;
import dev.dockscale.policy.Decision.Proposal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The decision core for one service. Each {@link #decide} call takes the replicas that count (not
 * draining) and returns a {@link Decision}: every metric proposes a count with HPA's rules for
 * missing data, the safest proposal wins, then the stabilization windows, rate limits, cooldowns
 * and min/max shape it. Pure: no I/O, time from the injected clock, the same inputs at the same
 * times always give the same decisions.
 *
 * <p>The only state is recent history (recommendations for the windows, scale events for the rate
 * limits and cooldowns). It is advisory: a core that starts empty is as safe as a fresh start, and
 * one given back an earlier run's decisions ({@link #recall}, {@link #recallScaled}) continues its
 * windows and cooldowns where they were.
 */
public final class Autoscaler {

  private record Recommendation(Instant at, int replicas) {}

  private record ScaleEvent(Instant at, int before, int after) {
    int added() {
      return Math.max(0, after - before);
    }

    int removed() {
      return Math.max(0, before - after);
    }
  }

  /**
   * Arrivals must exceed answers by this factor before a CPU rule reads demand: the balancer's
   * estimate of arrivals is a few % off at the requests one window holds.
   */
  static final double DEMAND_SIGNIFICANT = 1.1;

  private final ScalingPolicy policy;
  private final Clock clock;
  private final Deque<Recommendation> recommendations = new ArrayDeque<>();

  /** The count at the first decision: the scale-down window holds it as if recommended then. */
  private Recommendation first;

  private final Deque<ScaleEvent> events = new ArrayDeque<>();

  /** The newest decision recalled from an earlier run, until this core's first decision. */
  private Instant recalledUntil;

  /** Each rule's trend, by its place in the policy (only with a lookahead). */
  private final java.util.Map<Integer, Trend> trends = new java.util.HashMap<>();

  public Autoscaler(ScalingPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public ScalingPolicy policy() {
    return policy;
  }

  public Decision decide(List<ReplicaView> replicas) {
    Instant now = clock.instant();
    int current = replicas.size();
    int ready = (int) replicas.stream().filter(ReplicaView::ready).count();
    List<Proposal> proposals = new ArrayList<>();
    for (int i = 0; i < policy.rules().size(); i++) {
      proposals.add(propose(i, replicas, current, now));
    }
    List<Adjustment> adjustments = new ArrayList<>();

    boolean anyUsable = proposals.stream().anyMatch(Proposal::usable);
    int recommended = anyUsable ? safest(proposals, current) : current;
    String why =
        anyUsable
            ? explain(proposals, current, recommended)
            : "no usable metric: " + noDataNote(proposals);

    int desired = policy.clamp(recommended);
    if (desired != recommended) {
      adjustments.add(
          new Adjustment(
              "replicas",
              recommended,
              desired,
              "within min " + policy.min() + ", max " + policy.max()));
    }
    if (anyUsable) {
      desired = stabilize(desired, current, now, adjustments);
      desired = rateLimit(desired, current, now, adjustments);
      desired = coolDown(desired, current, now, adjustments);
    }
    // Replicas below min (crashed, removed by hand) are replaced at once, whatever the
    // cooldowns say; replicas above max (max lowered in config) are removed.
    int bounded = policy.clamp(desired);
    if (bounded != desired) {
      adjustments.add(
          new Adjustment(
              "replicas",
              desired,
              bounded,
              current < policy.min()
                  ? "replacing replicas below min " + policy.min()
                  : "within min " + policy.min() + ", max " + policy.max()));
      desired = bounded;
    }
    // "<what happens> (<what shaped it>): <what the metrics said>"
    String action = desired > current ? "scale up" : desired < current ? "scale down" : "hold";
    String shapedBy =
        adjustments.isEmpty() ? "" : " (" + adjustments.get(adjustments.size() - 1).note() + ")";
    String reason = action + shapedBy + ": " + why;

    prune(now);
    return Decision.scaleTo(now, current, ready, desired, reason, proposals, adjustments, replicas);
  }

  /**
   * Records a scale event that the runtime confirmed: {@code before} replicas became {@code after}
   * (started, or taken out of rotation). Cooldowns and rate limits count only confirmed events, so
   * a start that failed does not hold the next try back (nomad-autoscaler does the same).
   */
  public void scaled(int before, int after) {
    if (before != after) {
      events.addLast(new ScaleEvent(clock.instant(), before, after));
    }
  }

  /**
   * Takes back a decision of an earlier run (dockscale restarted), oldest first and before the
   * first {@link #decide}: its recommendation feeds the stabilization windows as if this core had
   * made it. A decision without a usable metric (a hold for want of data, a pause, an override)
   * made no recommendation: it feeds no window and does not count as history (the history ends at
   * the newest usable decision); one from the future of this clock is ignored. A history that ended
   * a whole scale-down window before the first decision is as good as none: the core then holds a
   * scale-in back for a window, as a fresh one does.
   */
  public void recall(Decision past) {
    Instant now = clock.instant();
    if (past.at().isAfter(now)) {
      return;
    }
    if (past.proposals().stream().noneMatch(Proposal::usable)) {
      // Nor does it extend the history: a run of pauses after an old recommendation must not
      // pass for a recent one and let the first decision scale in with no window.
      return;
    }
    if (first == null) {
      first = new Recommendation(past.at(), past.current());
    }
    recalledUntil = past.at();
    int recommended = policy.clamp(safest(past.proposals(), past.current()));
    recommendations.addLast(new Recommendation(past.at(), recommended));
    prune(now);
  }

  /**
   * Takes back a scale event of an earlier run that the runtime confirmed ({@link #scaled}), oldest
   * first: rate limits and cooldowns count it as if it had happened in this run.
   */
  public void recallScaled(Instant at, int before, int after) {
    Instant now = clock.instant();
    if (before != after && !at.isAfter(now)) {
      events.addLast(new ScaleEvent(at, before, after));
      prune(now);
    }
  }

  /**
   * One metric's proposal, with HPA's rules for replicas that are starting, warming up or
   * unsampled.
   */
  private Proposal propose(int index, List<ReplicaView> replicas, int current, Instant now) {
    MetricRule rule = policy.rules().get(index);
    double demand =
        rule.metric() == Metric.CPU && policy.behavior().demand()
            ? demand(rule.strategy(), replicas, current, now)
            : 1;
    Proposal p = propose(index, replicas, current, now, demand);
    if (demand == 1) {
      return p;
    }
    String note =
        String.format(
            "CPU x %.2f: requests arrive %.2f times as fast as they are answered", demand, demand);
    return new Proposal(
        p.metric(),
        p.strategy(),
        p.utilization(),
        p.counted(),
        p.proposed(),
        p.abstains(),
        p.note().isEmpty() ? note : note + "; " + p.note());
  }

  /**
   * How far demand is above what the replicas serve, for a CPU rule that scales up on CPU alone:
   * arrivals over answers at the balancer, summed over the ready replicas past warm-up that have
   * both readings. Demand sizes a scale-up; it never starts one: below the rule's threshold the CPU
   * reading is not pegged and tells the load itself, and the arrivals estimate also rises with a
   * load that rises within the window. 1 without a scale-up, without readings, and below {@link
   * #DEMAND_SIGNIFICANT}, where a backlog is within the estimate's noise.
   */
  private double demand(Strategy strategy, List<ReplicaView> replicas, int current, Instant now) {
    double cpu = 0;
    int counted = 0;
    double arrivals = 0;
    double answered = 0;
    for (ReplicaView r : replicas) {
      if (!r.ready() || warming(r, now)) {
        continue;
      }
      Double reading = r.readings().get(Metric.CPU);
      if (reading != null) {
        cpu += reading;
        counted++;
      }
      Double in = r.readings().get(Metric.ARRIVALS);
      Double out = r.readings().get(Metric.RPS);
      if (in != null && out != null) {
        arrivals += in;
        answered += out;
      }
    }
    if (counted == 0 || answered <= 0) {
      return 1;
    }
    double average = cpu / counted;
    if (!strategy.opines(average) || strategy.propose(average, counted, current) <= current) {
      return 1;
    }
    double ratio = arrivals / answered;
    return ratio >= DEMAND_SIGNIFICANT ? ratio : 1;
  }

  private boolean warming(ReplicaView r, Instant now) {
    return Duration.between(r.startedAt(), now).compareTo(policy.behavior().warmup()) < 0;
  }

  /** The rule's proposal, its CPU readings taken times {@code demand}. */
  private Proposal propose(
      int index, List<ReplicaView> replicas, int current, Instant now, double demand) {
    MetricRule rule = policy.rules().get(index);
    Metric metric = rule.metric();
    Strategy strategy = rule.strategy();
    double sum = 0;
    int usable = 0;
    int notReady = 0;
    int warming = 0;
    int unsampled = 0;
    for (ReplicaView r : replicas) {
      if (!r.ready()) {
        notReady++;
      } else if (warming(r, now)) {
        warming++;
      } else if (!r.readings().containsKey(metric)) {
        unsampled++;
      } else {
        sum += r.readings().get(metric) * demand;
        usable++;
      }
    }
    if (usable == 0) {
      String note =
          "no usable reading ("
              + notReady
              + " not ready, "
              + warming
              + " warming up, "
              + unsampled
              + " unsampled)";
      return new Proposal(metric.key(), strategy.describe(), null, 0, current, false, note);
    }
    double average = sum / usable;
    // The load the ready replicas carry, warming and unsampled ones taking their share.
    int serving = usable + warming + unsampled;
    double load = average * serving;
    Trend trend = feed(index, metric, load, now);
    if (!strategy.opines(average)) {
      return new Proposal(
          metric.key(), strategy.describe(), average, usable, current, true, "outside every range");
    }
    int proposed = strategy.propose(average, usable, current);
    if (proposed > current) {
      int missing = notReady + warming + unsampled;
      if (missing > 0) {
        double counted = sum / (usable + missing);
        int again = strategy.propose(counted, usable + missing, current);
        String note =
            String.format(
                "%d replica(s) not ready, warming up or unsampled counted as 0: %.1f",
                missing, counted);
        return forecast(
            trend,
            strategy,
            load,
            serving,
            current,
            now,
            new Proposal(
                metric.key(),
                strategy.describe(),
                average,
                usable + missing,
                Math.max(current, again),
                false,
                note));
      }
    } else if (proposed < current && unsampled > 0 && !metric.bounded()) {
      // A request rate or latency has no ceiling to assume for a replica without a reading: it
      // holds the scale-down back rather than guess.
      String note =
          String.format(
              "%d ready replica(s) without a sample: %s has no ceiling to assume, so it holds",
              unsampled, metric.key());
      return new Proposal(metric.key(), strategy.describe(), average, usable, current, false, note);
    } else if (proposed < current && unsampled > 0) {
      double counted = (sum + metric.full() * unsampled) / (usable + unsampled);
      int again = strategy.propose(counted, usable + unsampled, current);
      String note =
          String.format(
              "%d ready replica(s) without a sample counted as full (%.0f): %.1f",
              unsampled, metric.full(), counted);
      return new Proposal(
          metric.key(),
          strategy.describe(),
          average,
          usable + unsampled,
          Math.min(current, again),
          false,
          note);
    }
    return forecast(
        trend,
        strategy,
        load,
        serving,
        current,
        now,
        new Proposal(metric.key(), strategy.describe(), average, usable, proposed, false, ""));
  }

  /**
   * If the rule's trend (fed its load: the average reading times the ready replicas that carry it)
   * rises, asks for what the forecast load needs when that is more than {@code p} asks. A forecast
   * never lowers a proposal.
   */
  private Proposal forecast(
      Trend trend,
      Strategy strategy,
      double load,
      int serving,
      int current,
      Instant now,
      Proposal p) {
    if (trend == null) {
      return p;
    }
    double ahead = trend.forecast();
    double average = ahead / serving;
    if (ahead <= load || !strategy.opines(average)) {
      return p;
    }
    int asked = strategy.propose(average, serving, current);
    if (asked <= Math.max(p.proposed(), current)) {
      return p;
    }
    String note =
        String.format(
            "rising %.1f%%/s: %.1f%% over %d replica(s) in %s",
            trend.slope(now) / serving, average, serving, Durations.format(trend.lookahead()));
    return new Proposal(
        p.metric(),
        p.strategy(),
        p.utilization(),
        p.counted(),
        asked,
        false,
        p.note().isEmpty() ? note : p.note() + "; " + note);
  }

  /**
   * Adds a rule's load to its trend; null without a lookahead, or for a metric whose readings do
   * not add up to a load (latency).
   */
  private Trend feed(int rule, Metric metric, double load, Instant now) {
    Duration lookahead = policy.behavior().lookahead();
    if (lookahead.isZero() || !metric.additive()) {
      return null;
    }
    Trend trend = trends.computeIfAbsent(rule, r -> new Trend(lookahead));
    trend.add(now, load);
    return trend;
  }

  /**
   * Any scale-up beats no change beats a scale-down; the largest scale-up, the smallest scale-down.
   */
  static int safest(List<Proposal> proposals, int current) {
    int up = current;
    boolean anyHold = false;
    int down = Integer.MIN_VALUE;
    for (Proposal p : proposals) {
      if (p.usable() && p.abstains()) {
        continue;
      }
      if (!p.usable() || p.proposed() == current) {
        anyHold = true;
      } else if (p.proposed() > current) {
        up = Math.max(up, p.proposed());
      } else {
        down = Math.max(down, p.proposed());
      }
    }
    if (up > current) {
      return up;
    }
    return anyHold || down == Integer.MIN_VALUE ? current : down;
  }

  private static String explain(List<Proposal> proposals, int current, int recommended) {
    if (recommended == current) {
      List<String> holding =
          proposals.stream()
              .filter(p -> !p.abstains() && (p.proposed() == current || !p.usable()))
              .map(Autoscaler::describe)
              .toList();
      return String.join(
          ", ",
          holding.isEmpty() ? proposals.stream().map(Autoscaler::describe).toList() : holding);
    }
    List<String> deciding =
        proposals.stream()
            .filter(p -> p.votes() && p.proposed() == recommended)
            .map(Autoscaler::describe)
            .toList();
    return String.join(", ", deciding);
  }

  private static String describe(Proposal p) {
    if (!p.usable()) {
      return p.metric() + " " + p.note();
    }
    String unit = Metric.byKey(p.metric()).map(Metric::unit).orElse("%");
    return String.format(
        "%s %.1f%s over %d replica(s) by %s asks %d",
        p.metric(), p.utilization(), unit, p.counted(), p.strategy(), p.proposed());
  }

  private static String noDataNote(List<Proposal> proposals) {
    return String.join(", ", proposals.stream().map(p -> p.metric() + " " + p.note()).toList());
  }

  /** HPA's stabilization: up uses the lowest, down the highest recommendation of its window. */
  private int stabilize(int recommended, int current, Instant now, List<Adjustment> adjustments) {
    Behavior b = policy.behavior();
    int upRecommendation = recommended;
    int downRecommendation = recommended;
    // A window of length w holds the recommendations younger than w, and always the current one.
    if (first == null
        || (recalledUntil != null
            && Duration.between(recalledUntil, now).compareTo(b.downWindow()) >= 0)) {
      // A fresh core (dockscale restarted, or a policy reloaded) has no history: it must not
      // scale in before a whole down window has seen the load, as if the count were recommended.
      // Nor may one whose recalled history ended a whole window ago (dockscale was down).
      first = new Recommendation(now, current);
    }
    recalledUntil = null;
    if (Duration.between(first.at(), now).compareTo(b.downWindow()) < 0) {
      downRecommendation = Math.max(downRecommendation, first.replicas());
    }
    for (Recommendation r : recommendations) {
      Duration age = Duration.between(r.at(), now);
      if (age.compareTo(b.upWindow()) < 0) {
        upRecommendation = Math.min(upRecommendation, r.replicas());
      }
      if (age.compareTo(b.downWindow()) < 0) {
        downRecommendation = Math.max(downRecommendation, r.replicas());
      }
    }
    recommendations.addLast(new Recommendation(now, recommended));
    int desired = current;
    if (desired < upRecommendation) {
      desired = upRecommendation;
    }
    if (desired > downRecommendation) {
      desired = downRecommendation;
    }
    if (desired != recommended) {
      String note =
          recommended > current
              ? "scale-up window "
                  + Durations.format(b.upWindow())
                  + " lowest recommendation "
                  + upRecommendation
              : "scale-down window "
                  + Durations.format(b.downWindow())
                  + " highest recommendation "
                  + downRecommendation;
      adjustments.add(new Adjustment("window", recommended, desired, note));
    }
    return desired;
  }

  private int rateLimit(int desired, int current, Instant now, List<Adjustment> adjustments) {
    Behavior b = policy.behavior();
    if (desired > current && !b.upLimits().isEmpty()) {
      int bound =
          b.upLimits().select() == RateLimits.Select.MAX ? Integer.MIN_VALUE : Integer.MAX_VALUE;
      for (RateLimit limit : b.upLimits().limits()) {
        int periodStart = current - changedWithin(limit.period(), now, ScaleEvent::added);
        int allowed = limit.upperBound(periodStart);
        bound =
            b.upLimits().select() == RateLimits.Select.MAX
                ? Math.max(bound, allowed)
                : Math.min(bound, allowed);
      }
      int limited = Math.max(current, Math.min(desired, bound));
      if (limited != desired) {
        adjustments.add(new Adjustment("rate", desired, limited, "scale-up limit " + b.upLimits()));
      }
      return limited;
    }
    if (desired < current && !b.downLimits().isEmpty()) {
      int bound =
          b.downLimits().select() == RateLimits.Select.MAX ? Integer.MAX_VALUE : Integer.MIN_VALUE;
      for (RateLimit limit : b.downLimits().limits()) {
        int periodStart = current + changedWithin(limit.period(), now, ScaleEvent::removed);
        int allowed = limit.lowerBound(periodStart);
        bound =
            b.downLimits().select() == RateLimits.Select.MAX
                ? Math.min(bound, allowed)
                : Math.max(bound, allowed);
      }
      int limited = Math.min(current, Math.max(desired, bound));
      if (limited != desired) {
        adjustments.add(
            new Adjustment("rate", desired, limited, "scale-down limit " + b.downLimits()));
      }
      return limited;
    }
    return desired;
  }

  private int coolDown(int desired, int current, Instant now, List<Adjustment> adjustments) {
    if (desired == current) {
      return desired;
    }
    Behavior b = policy.behavior();
    Duration sinceUp = sinceLast(now, true);
    Duration sinceDown = sinceLast(now, false);
    if (sinceUp != null && sinceUp.compareTo(b.upCooldown()) < 0) {
      adjustments.add(
          new Adjustment(
              "cooldown",
              desired,
              current,
              "last scale-up "
                  + Durations.format(sinceUp)
                  + " ago, cooldown.up "
                  + Durations.format(b.upCooldown())));
      return current;
    }
    if (desired < current && sinceDown != null && sinceDown.compareTo(b.downCooldown()) < 0) {
      adjustments.add(
          new Adjustment(
              "cooldown",
              desired,
              current,
              "last scale-down "
                  + Durations.format(sinceDown)
                  + " ago, cooldown.down "
                  + Durations.format(b.downCooldown())));
      return current;
    }
    return desired;
  }

  private Duration sinceLast(Instant now, boolean up) {
    var it = events.descendingIterator();
    while (it.hasNext()) {
      ScaleEvent e = it.next();
      if (up ? e.after() > e.before() : e.after() < e.before()) {
        return Duration.between(e.at(), now);
      }
    }
    return null;
  }

  /** Replicas added ({@code ScaleEvent::added}) or removed within the last {@code period}. */
  private int changedWithin(
      Duration period, Instant now, java.util.function.ToIntFunction<ScaleEvent> change) {
    return events.stream()
        .filter(e -> Duration.between(e.at(), now).compareTo(period) < 0)
        .mapToInt(change)
        .sum();
  }

  /** Keeps only the history some window, limit or cooldown can still look at. */
  private void prune(Instant now) {
    Behavior b = policy.behavior();
    Duration keepRecommendations = max(b.upWindow(), b.downWindow());
    while (!recommendations.isEmpty()
        && Duration.between(recommendations.peekFirst().at(), now).compareTo(keepRecommendations)
            > 0) {
      recommendations.removeFirst();
    }
    Duration keepEvents = max(b.upCooldown(), b.downCooldown());
    for (RateLimit l : b.upLimits().limits()) {
      keepEvents = max(keepEvents, l.period());
    }
    for (RateLimit l : b.downLimits().limits()) {
      keepEvents = max(keepEvents, l.period());
    }
    // Keep the latest up and down events for the cooldowns whatever their age.
    List<ScaleEvent> kept = new ArrayList<>();
    boolean lastUpKept = false;
    boolean lastDownKept = false;
    var it = events.descendingIterator();
    while (it.hasNext()) {
      ScaleEvent e = it.next();
      boolean up = e.after() > e.before();
      boolean young = Duration.between(e.at(), now).compareTo(keepEvents) <= 0;
      if (young || (up && !lastUpKept) || (!up && !lastDownKept)) {
        kept.add(0, e);
      }
      lastUpKept |= up;
      lastDownKept |= !up;
    }
    events.clear();
    events.addAll(kept);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
