package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestLineTest {

  @Test
  void readsALineOfTheTemplatesFormat() {
    RequestLine line =
        RequestLine.parse("1795728632.941|web|200|0.012|172.18.0.5:8000|0.010").orElseThrow();
    assertThat(line)
        .isEqualTo(new RequestLine(1795728632941L, "web", 200, 12, "172.18.0.5:8000", 10));
    assertThat(line.upstreamHost()).isEqualTo("172.18.0.5");
  }

  @Test
  void countsARetriedRequestForTheReplicaThatAnsweredWithTheTimeOfEveryTry() {
    RequestLine line =
        RequestLine.parse(
                "1795728632.941|api|200|1.250|172.18.0.5:9000, 172.18.0.6:9000|1.001, 0.249")
            .orElseThrow();
    assertThat(line.upstream()).isEqualTo("172.18.0.6:9000");
    assertThat(line.upstreamMillis()).isEqualTo(1250);
    RequestLine refused =
        RequestLine.parse("1795728632.941|api|200|0.020|172.18.0.5:9000, 172.18.0.6:9000|-, 0.019")
            .orElseThrow();
    assertThat(refused.upstreamMillis()).isEqualTo(19);
  }

  @Test
  void aRequestNginxAnsweredItselfHasNoReplica() {
    RequestLine line = RequestLine.parse("1795728632.965|web|503|0.000|-|-").orElseThrow();
    assertThat(line.upstream()).isEmpty();
    assertThat(line.upstreamHost()).isEmpty();
    assertThat(line.upstreamMillis()).isEqualTo(-1);
  }

  @Test
  void refusesLinesThatAreNotOfTheFormat() {
    String[] bad = {
      "",
      "|||||",
      "1795728632.941|web|200|0.012|172.18.0.5:8000",
      "1795728632.941|web|200|0.012|172.18.0.5:8000|0.010|extra",
      "1795728632|web|200|0.012|172.18.0.5:8000|0.010",
      "1795728632.941|Web|200|0.012|172.18.0.5:8000|0.010",
      "1795728632.941|web|2000|0.012|172.18.0.5:8000|0.010",
      "1795728632.941|web|abc|0.012|172.18.0.5:8000|0.010",
      "1795728632.941|web|099|0.012|172.18.0.5:8000|0.010",
      "1795728632.941|web|200|-1.000|172.18.0.5:8000|0.010",
      "1795728632.941|web|200|0.012|172.18.0.5:8000|0.01x",
      "1795728632.941|web|200|0.012|172.18.0.5:8000|",
      "1795728632.941|web|200|0.012|, |0.010",
      "99999999999999999999.941|web|200|0.012|172.18.0.5:8000|0.010",
      "1795728632.941|web|200|0.012|172.18.0.5 8000|0.010",
    };
    for (String line : bad) {
      assertThat(RequestLine.parse(line)).as(line).isEmpty();
    }
  }

  @Test
  void neverThrowsOnGarbage() {
    Random random = new Random(42);
    String alphabet = "0123456789.|-, :abcWEB\u00e9\u0000\t";
    String good = "1795728632.941|web|200|0.012|172.18.0.5:8000, 10.0.0.1:80|0.010, 0.002";
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder(good);
      for (int k = random.nextInt(4); k >= 0; k--) {
        int at = random.nextInt(b.length());
        if (random.nextBoolean()) {
          b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        } else {
          b.deleteCharAt(at);
        }
      }
      if (RequestLine.parse(b.toString()).isPresent()) {
        parsed++;
      }
    }
    // Some mutations keep the line valid (a digit for a digit); most do not.
    assertThat(parsed).isBetween(1, 19_999);
  }
}
