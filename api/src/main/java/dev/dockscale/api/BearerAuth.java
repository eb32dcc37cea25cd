package dev.dockscale.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Checks the {@code Authorization: Bearer <token>} of a write: none (or not a bearer token) is 401,
 * a token that is not ours 403. Compared in constant time, as SHA-256 digests of both (so neither
 * the content nor the length of the token shows in the time an answer takes).
 */
final class BearerAuth {

  private static final String SCHEME = "Bearer ";

  /** The token's SHA-256: digests of a fixed length are compared, so the time tells no length. */
  private final byte[] token;

  BearerAuth(String token) {
    this.token = digest(Objects.requireNonNull(token, "token"));
  }

  static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * @throws ApiException 401 or 403
   */
  void check(String authorization) {
    if (authorization == null
        || authorization.length() < SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new ApiException(
          401,
          "Authorization",
          "writes need the header 'Authorization: Bearer <token>' (api.token, or the file the log named at start)");
    }
    byte[] given = digest(authorization.substring(SCHEME.length()).trim());
    if (!MessageDigest.isEqual(given, token)) {
      throw new ApiException(
          403, "Authorization", "the bearer token is not this dockscale's: send api.token");
    }
  }
}
