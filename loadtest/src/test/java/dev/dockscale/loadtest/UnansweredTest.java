package dev.dockscale.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failure is sent again, and with how much of its timeout. */
class UnansweredTest {

  private static final URI TARGET = URI.create("http://127.0.0.1:1/");

  @Test
  void onlyAConnectionClosedBeforeAnyByteOfAnAnswerIsSentAgain() {
    IOException noBytes =
        new IOException("HTTP/1.1 header parser received no bytes", new EOFException());
    assertThat(Unanswered.closedBeforeAnswer(noBytes)).isTrue();
    assertThat(Unanswered.closedBeforeAnswer(new CompletionException(noBytes))).isTrue();

    assertThat(Unanswered.closedBeforeAnswer(new IOException("Connection reset"))).isFalse();
    assertThat(Unanswered.closedBeforeAnswer(new ConnectException())).isFalse();
    assertThat(Unanswered.closedBeforeAnswer(new HttpTimeoutException("request timed out")))
        .isFalse();
    assertThat(Unanswered.closedBeforeAnswer(new IOException())).isFalse();
    assertThat(Unanswered.closedBeforeAnswer(null)).isFalse();
  }

  @Test
  void theSecondTryGetsWhatIsLeftOfTheTimeoutAndNoneWhenNothingIs() {
    HttpRequest first = HttpRequest.newBuilder(TARGET).timeout(Duration.ofSeconds(10)).build();
    long fourSecondsAgo = System.nanoTime() - Duration.ofSeconds(4).toNanos();

    HttpRequest again = Unanswered.again(first, fourSecondsAgo).orElseThrow();

    assertThat(again.uri()).isEqualTo(TARGET);
    assertThat(again.method()).isEqualTo("GET");
    assertThat(again.timeout().orElseThrow())
        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
    long elevenSecondsAgo = System.nanoTime() - Duration.ofSeconds(11).toNanos();
    assertThat(Unanswered.again(first, elevenSecondsAgo)).isEmpty();
  }

  @Test
  void aRequestWithoutATimeoutIsSentAgainAsItIs() {
    HttpRequest first = HttpRequest.newBuilder(TARGET).build();
    assertThat(Unanswered.again(first, System.nanoTime() - 1_000_000_000L)).contains(first);
  }
}
