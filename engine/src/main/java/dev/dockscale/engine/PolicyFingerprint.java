package dev.dockscale.engine;

import dev.dockscale.policy.ScalingPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, stable name for a scaling policy, written into each logged decision: a restart recalls
 * only the decisions made under the policy it runs now, as a reload of another policy starts a
 * fresh decision core (their windows and cooldowns meant something else).
 */
final class PolicyFingerprint {

  private PolicyFingerprint() {}

  /** The first 16 hex digits of the SHA-256 of the policy's record text (stable across runs). */
  static String of(ScalingPolicy policy) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(policy.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
