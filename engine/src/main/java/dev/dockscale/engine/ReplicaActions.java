package dev.dockscale.engine;

import dev.dockscale.policy.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's starts and stops, run on the action executor: starts in parallel (a pass waits for
 * them up to {@link #START_WAIT} in all), stops in the background. What is in flight is known, so a
 * pass neither starts an index twice nor counts a replica being stopped.
 */
final class ReplicaActions {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaActions.class);

  /** The longest a pass waits for its starts; slower ones finish in the background. */
  static final Duration START_WAIT = Duration.ofSeconds(30);

  private final ContainerRuntime runtime;
  private final Executor executor;
  private final Set<Integer> starting = ConcurrentHashMap.newKeySet();
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();
  private final Queue<String> failedInBackground = new ConcurrentLinkedQueue<>();

  /** Replicas whose start-up boost was ended (or found to be none) this run, by id. */
  private final Set<String> boostEnded = ConcurrentHashMap.newKeySet();

  ReplicaActions(ContainerRuntime runtime, Executor executor) {
    this.runtime = runtime;
    this.executor = executor;
  }

  /** What a batch of starts came to: the ids of those started, and why the others did not. */
  record Started(List<String> ids, List<String> failures) {
    int count() {
      return ids.size();
    }
  }

  ContainerRuntime.ImageState prepareImage(String image) {
    return runtime.prepareImage(image);
  }

  int startsInFlight() {
    return starting.size();
  }

  boolean stopping(String id) {
    return stopping.contains(id);
  }

  /**
   * The {@code count} lowest indexes that neither an observed replica nor a start in flight has.
   */
  List<Integer> freeIndexes(List<Replica> observed, int count) {
    Set<Integer> taken = new HashSet<>(starting);
    observed.forEach(r -> taken.add(r.index()));
    List<Integer> free = new ArrayList<>();
    for (int index = 1; free.size() < count; index++) {
      if (!taken.contains(index)) {
        free.add(index);
      }
    }
    return free;
  }

  /** Starts these replicas at once and waits for them, {@link #START_WAIT} at most in all. */
  Started start(List<ReplicaSpec> replicas, List<String> acted, List<String> problems) {
    List<CompletableFuture<Replica>> starts = new ArrayList<>();
    for (ReplicaSpec replica : replicas) {
      starting.add(replica.index());
      CompletableFuture<Replica> f =
          CompletableFuture.supplyAsync(() -> runtime.start(replica), executor);
      f.whenComplete((r, e) -> starting.remove(replica.index()));
      starts.add(f);
    }
    List<String> started = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    for (int i = 0; i < starts.size(); i++) {
      ReplicaSpec replica = replicas.get(i);
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        Replica r = starts.get(i).get(left, TimeUnit.NANOSECONDS);
        started.add(r.id());
        acted.add("started " + r.name() + (replica.replaces().isEmpty() ? "" : " (a replacement)"));
        LOG.info("{}: started {}", replica.service(), r.name());
      } catch (TimeoutException e) {
        problems.add(
            "start of " + replica.name() + " takes longer than " + Durations.format(START_WAIT));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
        String failure = "start of " + replica.name() + " failed: " + why;
        failures.add(failure);
        problems.add(failure);
        LOG.warn("{}: {}", replica.service(), failure);
      }
    }
    return new Started(started, failures);
  }

  /**
   * Ends these ready replicas' start-up boosts in the background (a pass never waits for it), each
   * once per run of dockscale: the runtime knows which were started boosted.
   */
  void endStartupBoosts(List<Replica> ready, double cpus) {
    for (Replica replica : ready) {
      if (!boostEnded.add(replica.id())) {
        continue;
      }
      CompletableFuture.runAsync(() -> runtime.endStartupBoost(replica, cpus), executor)
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  boostEnded.remove(replica.id());
                  LOG.warn(
                      "{}: could not end the start-up boost of {} (tried again next pass): {}",
                      replica.service(),
                      replica.name(),
                      e.toString());
                }
              });
    }
  }

  /** What is kept per replica goes with the replica. */
  void retain(Set<String> present) {
    boostEnded.retainAll(present);
  }

  /** Pauses a ready warm-pool replica; false (logged) when the runtime could not. */
  boolean pause(Replica replica, List<String> acted) {
    try {
      runtime.pause(replica);
    } catch (RuntimeException e) {
      LOG.warn("{}: could not pause {}: {}", replica.service(), replica.name(), e.toString());
      return false;
    }
    acted.add("paused " + replica.name() + " (warm pool)");
    return true;
  }

  /** Unpauses warm-pool replicas into service; returns how many were promoted. */
  int promote(List<Replica> warm, List<String> acted, List<String> problems) {
    int promoted = 0;
    for (Replica replica : warm) {
      try {
        Replica serving = runtime.promote(replica);
        acted.add("promoted " + serving.name() + " from the warm pool");
        LOG.info("{}: promoted {} from the warm pool", replica.service(), serving.name());
        promoted++;
      } catch (RuntimeException e) {
        problems.add("could not promote " + replica.name() + ": " + e.getMessage());
        LOG.warn("{}: could not promote {}: {}", replica.service(), replica.name(), e.toString());
      }
    }
    return promoted;
  }

  /**
   * Starts these replicas without waiting for them (the warm pool refills so, never holding a pass
   * back); failures are kept for {@link #backgroundFailures}.
   */
  void startInBackground(List<ReplicaSpec> replicas, List<String> acted) {
    for (ReplicaSpec replica : replicas) {
      starting.add(replica.index());
      acted.add("starting " + replica.name() + " for the warm pool");
      CompletableFuture.supplyAsync(() -> runtime.start(replica), executor)
          .whenComplete(
              (r, e) -> {
                starting.remove(replica.index());
                if (e != null) {
                  Throwable cause = e.getCause() == null ? e : e.getCause();
                  String failure = "start of " + replica.name() + " failed: " + cause.getMessage();
                  failedInBackground.add(failure);
                  LOG.warn("{}: {}", replica.service(), failure);
                } else {
                  LOG.info("{}: started {} for the warm pool", replica.service(), r.name());
                }
              });
    }
  }

  /** The failures of background starts since the last call. */
  List<String> backgroundFailures() {
    List<String> failures = new ArrayList<>();
    for (String f; (f = failedInBackground.poll()) != null; ) {
      failures.add(f);
    }
    return failures;
  }

  /** Stops and removes a replica in the background (once, however often asked). */
  void stop(Replica replica, String why, Duration timeout, List<String> acted) {
    if (!stopping.add(replica.id())) {
      return;
    }
    acted.add("stopping " + replica.name() + " (" + why + ")");
    LOG.info("{}: stopping {} ({})", replica.service(), replica.name(), why);
    Duration t = replica.state() == Replica.State.RUNNING ? timeout : Duration.ZERO;
    CompletableFuture.runAsync(() -> runtime.stopAndRemove(replica, t), executor)
        .whenComplete(
            (v, e) -> {
              stopping.remove(replica.id());
              if (e != null) {
                LOG.warn(
                    "{}: could not stop {}: {}", replica.service(), replica.name(), e.toString());
              }
            });
  }
}
