package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dockscale.loadtest.ArrivalRate;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.loadtest.OpenLoad;
import dev.dockscale.loadtest.OpenLoadResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * nginx reloaded 150 times under load, the way dockscale reloads it on every scale event (a HUP to
 * its container): old workers finish what they hold and close their idle kept-alive connections,
 * and a request sent on one of those at that moment gets no answer. A client that sends such a GET
 * once more, as browsers do, sees no failed request; one that never does counts them, side by side
 * in the same run.
 */
class BalancerReloadIT extends DockerIT {

  private static final int RELOADS = 150;

  @Test
  void reloadsUnderLoadFailNoRequestOfAClientThatResendsAnUnansweredGet() {
    project = ItProject.create("reload", ItProject.service(2, 2, "preset: classic\n"));
    project.startServing(2);
    String balancer = project.containerId(project.config.balancerName());

    try (LoadGenerator closed =
            new LoadGenerator(project.url("/"), 8, () -> 8, Duration.ofMinutes(3), 10_000_000)
                .start();
        OpenLoad open = steady(OpenLoad.to(project.url("/")));
        OpenLoad neverResending = steady(OpenLoad.to(project.url("/")).neverResend())) {
      for (int i = 0; i < RELOADS; i++) {
        project.stack.docker().killContainerCmd(balancer).withSignal("HUP").exec();
        // The next reload after 20 more answers (about 0.1 s here), as in a run of scale events.
        long before = closed.ok();
        await().atMost(Duration.ofSeconds(10)).until(() -> closed.ok() >= before + 20);
      }
      // The last reload's old workers done closing (a couple of seconds here) before the loads
      // stop.
      long afterLast = closed.ok();
      await().atMost(Duration.ofSeconds(30)).until(() -> closed.ok() >= afterLast + 400);
      closed.close();
      open.close();
      neverResending.close();
      OpenLoadResult resending = open.result();
      OpenLoadResult plain = neverResending.result();
      System.out.printf(
          "[figure] %d nginx reloads under load: closed loop %d ok, %d failed, %d sent once more;"
              + " open load %d ok, %d failed, %d sent once more; the same open load never"
              + " resending: %d failed %s%n",
          RELOADS,
          closed.ok(),
          closed.failed(),
          closed.resent(),
          resending.ok(),
          resending.failed() + resending.timeouts(),
          resending.resent(),
          plain.failed() + plain.timeouts(),
          plain.failures());
      assertThat(closed.failures())
          .as("failed requests of the closed loop (no answer: %s)", closed.noAnswerCauses())
          .isEmpty();
      assertThat(resending.failed() + resending.timeouts())
          .as("failed requests of the open load: %s", resending)
          .isZero();
      // How many requests the reloads closed unanswered varies from run to run (1 to 22 in four):
      // a figure, not asserted. What is asserted is that none failed for a client that resends.
      assertThat(plain.timeouts()).as("timeouts without resending: %s", plain).isZero();
      assertThat(plain.failures().keySet())
          .as("without resending, only requests closed unanswered fail: %s", plain)
          .isSubsetOf("IOException");
    }
  }

  private static OpenLoad steady(OpenLoad.Builder load) {
    return load.rate(ArrivalRate.constant(200)).lasting(Duration.ofMinutes(3)).start();
  }
}
