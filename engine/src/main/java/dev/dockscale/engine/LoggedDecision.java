package dev.dockscale.engine;

import dev.dockscale.policy.Decision;
import java.util.Objects;

/**
 * One decision of one service as the decision log keeps it.
 *
 * @param seq its place in the log, increasing (across restarts too: the journal carries it)
 * @param decision the record the decision core (or a pause or override) made
 * @param scaled what the runtime confirmed of it (counted by cooldowns and rate limits), {@code
 *     null} when it changed nothing
 * @param policy the fingerprint of the scaling policy it was made under ({@link
 *     PolicyFingerprint}): a restart under another policy does not recall it; {@code null} when
 *     unknown (then it is not recalled either)
 */
public record LoggedDecision(
    long seq, String service, Decision decision, Scaled scaled, String policy) {

  /** {@code before} replicas became {@code after}, as the runtime confirmed. */
  public record Scaled(int before, int after) {}

  public LoggedDecision {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(decision, "decision");
  }

  LoggedDecision withSeq(long next) {
    return new LoggedDecision(next, service, decision, scaled, policy);
  }
}
