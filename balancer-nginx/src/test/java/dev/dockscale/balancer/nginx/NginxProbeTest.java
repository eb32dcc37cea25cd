package dev.dockscale.balancer.nginx;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.engine.ReadinessProbe;
import dev.dockscale.engine.ReadinessProbe.Outcome;
import dev.dockscale.engine.ReadinessProbe.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NginxProbeTest {

  private static final Target HTTP =
      new Target("p-web-1", 8000, "/health", false, Duration.ofSeconds(1));
  private static final Target TCP = new Target("p-web-1", 8000, "/", true, Duration.ofSeconds(1));

  @Test
  void anHttpProbePassesOnTwoOrThreeHundredsFromTheReplica() {
    assertThat(NginxProbe.judge(HTTP, 200, "200 0.001").outcome()).isEqualTo(Outcome.PASS);
    assertThat(NginxProbe.judge(HTTP, 302, "302 0.001").outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void anHttpProbeFailsOnAnErrorStatusOrARefusedConnectionAndSaysWhich() {
    assertThat(NginxProbe.judge(HTTP, 404, "404 0.001").detail())
        .isEqualTo("GET /health answered 404");
    assertThat(NginxProbe.judge(HTTP, 502, "502 -").detail()).contains("refused the connection");
    assertThat(NginxProbe.judge(HTTP, 502, "502 -").outcome()).isEqualTo(Outcome.FAIL);
  }

  @Test
  void aTcpProbePassesWhenTheConnectionWasMadeWhateverTheReplicaSaid() {
    assertThat(NginxProbe.judge(TCP, 504, "504 0.000").outcome()).isEqualTo(Outcome.PASS);
    assertThat(NginxProbe.judge(TCP, 502, "502 -").outcome()).isEqualTo(Outcome.FAIL);
  }

  @Test
  void anAnswerWithoutTheGatewaysMarkerSaysNothingOfTheReplica() {
    assertThat(NginxProbe.judge(HTTP, 503, null).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(NginxProbe.judge(TCP, 404, null).outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void aTcpProbePassesWhenTheReplicaSpokeFirstAndNginxPassedItsBytesThrough() throws Exception {
    // nginx relays a reply that is not HTTP as it came, without a status line or the marker.
    try (ServerSocket gateway = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        NginxProbe probe = new NginxProbe(gateway::getLocalPort)) {
      Thread replica =
          new Thread(
              () -> {
                try (Socket s = gateway.accept()) {
                  s.getOutputStream().write("hello from p-web-1\n".getBytes(US_ASCII));
                } catch (IOException ignored) {
                  // The test fails on the probe's outcome.
                }
              });
      replica.start();

      ReadinessProbe.Result result = probe.probe(TCP).get(5, TimeUnit.SECONDS);
      assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.PASS);
      replica.join(5_000);
    }
  }

  @Test
  void withoutAGatewayPortNoProbeIsMade() {
    assertThat(new NginxProbe(() -> 0).probe(HTTP).join().outcome()).isEqualTo(Outcome.UNKNOWN);
  }
}
