package dev.dockscale.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Checks the {@code Authorization: Bearer <token>} of a write: none (or not a bearer token) is 401,
 * a token that is not ours 403. Compared in constant time.
 */
final class BearerAuth {

  private static final String SCHEME = "Bearer ";

  private final byte[] token;

  BearerAuth(String token) {
    this.token = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
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
    byte[] given = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      throw new ApiException(
          403, "Authorization", "the bearer token is not this dockscale's: send api.token");
    }
  }
}
