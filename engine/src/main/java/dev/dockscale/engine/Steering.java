package dev.dockscale.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The loop as seen from outside (the API): what each service looks like, what was decided, and the
 * hand controls. Every method may be called from any thread; a call that is refused changes
 * nothing.
 */
public interface Steering {

  /**
   * Every service of the running config, in config order: as the last pass left it (one no pass has
   * seen yet without replicas or a decision), with its hand controls as they are now.
   */
  List<ServiceView> services();

  /** A page of the decision log, newest first (see {@link DecisionLog#query}). */
  DecisionLog.Page decisions(String service, Instant since, Long before, int limit);

  /** Called after every pass. */
  void onPass(Consumer<Pass> listener);

  /** Called with every decision as it is logged. */
  void onDecision(Consumer<LoggedDecision> listener);

  /**
   * Stops scaling {@code service}: it keeps healing (replaces replicas that fail) and holds the
   * count it had, recorded as a decision at each tick.
   *
   * @throws NoSuchServiceException when the config has no such service
   */
  Control pause(String service, String by);

  /** Lets the policy decide again. @throws NoSuchServiceException as {@link #pause} */
  Control resume(String service, String by);

  /**
   * Pins {@code service} to {@code replicas} for {@code ttl}, paused or not.
   *
   * @throws NoSuchServiceException as {@link #pause}
   * @throws RefusedException when {@code replicas} is outside min/max or {@code ttl} out of range,
   *     saying what to send instead
   */
  Control override(String service, int replicas, Duration ttl, String by);

  /** Removes the override. @throws NoSuchServiceException as {@link #pause} */
  Control clearOverride(String service, String by);
}
