package dev.dockscale.loadtest.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatlingFiguresTest {

  /** js/stats.js of a real Gatling 3.13.5 run: spike, 280 requests, SLO 5 ms. */
  private static Path report() throws URISyntaxException {
    return Path.of(GatlingFiguresTest.class.getResource("/gatling-report").toURI());
  }

  @Test
  void readsTheFiguresOfAllRequestsFromTheReportScript() throws Exception {
    GatlingFigures figures = GatlingFigures.read(report(), Duration.ofMillis(5));

    assertThat(figures.requests()).isEqualTo(280);
    assertThat(figures.ko()).isZero();
    assertThat(figures.p50()).isEqualTo(Duration.ofMillis(2));
    assertThat(figures.p95()).isEqualTo(Duration.ofMillis(50));
    assertThat(figures.p99()).isEqualTo(Duration.ofMillis(108));
    assertThat(figures.max()).isEqualTo(Duration.ofMillis(110));
    assertThat(figures.withinSlo()).isCloseTo(192.0 / 280, within(1e-9));
  }

  @Test
  void writesTheFiguresAsOneLineOfKeyValuePairs() throws Exception {
    GatlingFigures figures = GatlingFigures.read(report(), Duration.ofMillis(5));

    assertThat(figures.keyValues())
        .isEqualTo(
            "requests=280 ko=0 p50_ms=2 p95_ms=50 p99_ms=108 max_ms=110 slo_ms=5"
                + " within_slo=0.685714");
  }

  @Test
  void refusesAReportDrawnAtAnotherBound() {
    assertThatThrownBy(() -> GatlingFigures.read(report(), Duration.ofMillis(500)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("counts 't < 5 ms', not t < 500 ms");
  }
}
