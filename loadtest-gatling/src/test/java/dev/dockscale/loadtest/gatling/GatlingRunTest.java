package dev.dockscale.loadtest.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dockscale.loadtest.Profile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short Gatling run in this JVM against a server on 127.0.0.1 (about 15 s). */
class GatlingRunTest {

  private HttpServer server;
  private ExecutorService workers;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /** Of every 5 requests: one 500, one 200 after 60 ms, three 200 at once. */
  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    workers = Executors.newFixedThreadPool(16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            long n = requests.getAndIncrement();
            int status = 200;
            if (n % 5 == 0) {
              errors.incrementAndGet();
              status = 500;
            } else if (n % 5 == 1) {
              try {
                Thread.sleep(60);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            exchange.sendResponseHeaders(status, -1);
          }
        });
    server.setExecutor(workers);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    workers.shutdownNow();
  }

  @Test
  void runsAStepAndReadsItsFiguresFromTheReport(@TempDir Path results) {
    String target = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    Profile step =
        Profile.of(
            "step",
            target,
            Map.of(
                "base",
                "20",
                "high",
                "60",
                "t1",
                "1",
                "t2",
                "2",
                "duration",
                "3",
                "arrivals",
                "even",
                "slo",
                "30",
                "timeout",
                "5000"));

    GatlingRun.Outcome outcome = GatlingRun.run(step, results);

    assertThat(outcome.report()).startsWith(results);
    assertThat(outcome.report().resolve("index.html")).isRegularFile();
    GatlingFigures figures = outcome.figures();
    assertThat(figures.requests()).isEqualTo(100).isEqualTo(requests.get());
    assertThat(figures.ko()).isEqualTo(errors.get()).isEqualTo(20);
    // a quarter of the OK answers took 60 ms: the median is below, p95 and p99 above
    assertThat(figures.p50()).isLessThan(Duration.ofMillis(60));
    assertThat(figures.p95()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    assertThat(figures.p99()).isGreaterThanOrEqualTo(figures.p95());
    // at most the 60 of 100 answered OK at once, fewer if this busy machine was slow to answer
    assertThat(figures.withinSlo()).isBetween(0.4, 0.6);
  }
}
