package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bearer token check: which status for which header, compared without telling the length. */
class BearerAuthTest {

  private static final String TOKEN = "0123456789abcdef0123";
  private final BearerAuth auth = new BearerAuth(TOKEN);

  @Test
  void comparesDigestsOfOneLengthWhateverTheTokensLength() {
    // MessageDigest.isEqual returns at once on a length mismatch: digests have one length.
    assertThat(BearerAuth.digest("x")).hasSize(32);
    assertThat(BearerAuth.digest(TOKEN.repeat(100))).hasSize(32);
  }

  @Test
  void acceptsOurTokenAndRefusesAPrefixOrAnExtensionOfIt() {
    auth.check("Bearer " + TOKEN);
    assertThatThrownBy(() -> auth.check("Bearer " + TOKEN.substring(1)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    assertThatThrownBy(() -> auth.check("Bearer " + TOKEN + "0"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    assertThatThrownBy(() -> auth.check(null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }
}
