package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dockscale.balancer.nginx.NginxRequestMetrics;
import dev.dockscale.balancer.nginx.NginxRequestMetrics.ServiceWindow;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Decision.Proposal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Request rate and latency read at nginx, against what the load generator counted and timed: two
 * services behind one balancer (the sample backend on {@code /}, the Python app on {@code /api}),
 * each under a steady load of its own through nginx on 127.0.0.1, each reading only its own. Each
 * window nginx's readings are of is compared with the generator's answers that ended in the same
 * whole seconds.
 */
class RequestMetricsIT extends DockerIT {

  private static final int SAMPLES = 10;

  /** {@link System#nanoTime} to epoch milliseconds (the generator times by nanoTime). */
  private final long epochAtNanoZero = System.currentTimeMillis() - System.nanoTime() / 1_000_000L;

  /**
   * One look at a service's readings, with what the generator saw of the same window: nginx's count
   * and p95 for the whole service, the replica's rps and p95, and the rps in the last decision.
   */
  private record Sample(
      Instant windowEnd,
      long nginxRequests,
      long clientRequests,
      double nginxP95,
      double clientP95,
      double replicaRps,
      double replicaP95,
      double decidedRps) {}

  @Test
  void readsEachServicesRequestRateAndLatencyAsTheLoadGeneratorSawThem() {
    project =
        ItProject.createServices(
            "reqmetrics",
            """
              web:
                image: dockscale/sample-backend:latest
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 1, memory: 256m }
                health: { path: /health }
                replicas: { min: 1, max: 1 }
                scale: { rps: { target: 1000 }, latency: { p95: 5s } }
              api:
                image: %s
                path: /api
                env: { SERVER_NAME: "{{name}}" }
                resources: { cpus: 0.5, memory: 128m }
                health: { path: /healthz }
                replicas: { min: 1, max: 1 }
                scale: { rps: { target: 1000 } }
            """
                .formatted(MultiServiceIT.FLASK));
    project.startLoop();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                project.settledAt("web", 1)
                    && project.settledAt("api", 1)
                    && Http.ok(project.url("/"))
                    && Http.ok(project.url("/api/healthz")));

    try (LoadGenerator web =
            new LoadGenerator(
                    project.url("/cpu?ms=20"), 3, () -> 3, Duration.ofSeconds(60), 1_000_000)
                .start();
        LoadGenerator api =
            new LoadGenerator(
                    project.url("/api/cpu?ms=40"), 2, () -> 2, Duration.ofSeconds(60), 1_000_000)
                .start()) {
      // Load for a whole window before the first look, and the loop's decisions on it.
      project.awaitTimeOrTicks(Duration.ofSeconds(5));
      long from = System.nanoTime();
      long webFrom = web.ok();
      long apiFrom = api.ok();
      List<Sample> webSamples = new ArrayList<>();
      List<Sample> apiSamples = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(SAMPLES + 10))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                webSamples.add(sample("web", web));
                apiSamples.add(sample("api", api));
                return webSamples.size() >= SAMPLES;
              });
      double seconds = (System.nanoTime() - from) / 1e9;
      double webRate = (web.ok() - webFrom) / seconds;
      double apiRate = (api.ok() - apiFrom) / seconds;
      web.close();
      api.close();
      assertThat(web.failures())
          .as("non-2xx answers on / (no answer: %s)", web.noAnswerCauses())
          .isEmpty();
      assertThat(api.failures())
          .as("non-2xx answers on /api (no answer: %s)", api.noAnswerCauses())
          .isEmpty();

      report("web", webRate, webSamples);
      report("api", apiRate, apiSamples);
      check("web", webRate, 20, webSamples);
      check("api", apiRate, 40, apiSamples);
      // The two loads differ enough that a mix-up of the services would show.
      assertThat(webRate).isGreaterThan(apiRate * 1.5);
    }
  }

  private Sample sample(String service, LoadGenerator load) {
    ServiceStatus status = project.status(service);
    Replica replica = status.replicas().get(0);
    NginxRequestMetrics requests = project.stack.requests();
    ServiceWindow window = requests.service(service).orElseThrow();
    ReplicaMetrics read =
        requests
            .read(List.of(new MeasuredReplica(replica.id(), 1, 0, service, replica.address())))
            .get(replica.id());
    double decided =
        status.decision().proposals().stream()
            .filter(p -> p.metric().equals("rps") && p.usable())
            .mapToDouble(Proposal::utilization)
            .findFirst()
            .orElse(Double.NaN);
    long endMillis = window.end().toEpochMilli();
    long startMillis = endMillis - NginxRequestMetrics.WINDOW_SECONDS * 1000L;
    long[] took =
        load.answered().stream()
            .filter(
                a -> {
                  long at = epochAtNanoZero + Math.floorDiv(a.endNanos(), 1_000_000L);
                  return at >= startMillis && at < endMillis;
                })
            .mapToLong(a -> a.tookNanos() / 1_000_000)
            .sorted()
            .toArray();
    return new Sample(
        window.end(),
        window.load().requests(),
        took.length,
        window.load().p95Millis().orElse(Double.NaN),
        took.length == 0 ? Double.NaN : took[(int) Math.ceil(took.length * 0.95) - 1],
        read == null ? Double.NaN : read.get(Metric.RPS).orElse(Double.NaN),
        read == null ? Double.NaN : read.get(Metric.LATENCY).orElse(Double.NaN),
        decided);
  }

  private static double mean(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  private static void report(String service, double rate, List<Sample> samples) {
    System.out.printf(
        "[figure] %s: generator %.1f rps over the 10 s; per 3 s window, requests nginx/generator"
            + " %s, p95 ms nginx/generator %s; replica rps %.1f, in the decisions %.1f%n",
        service,
        rate,
        samples.stream().map(x -> x.nginxRequests() + "/" + x.clientRequests()).toList(),
        samples.stream().map(x -> String.format("%.0f/%.0f", x.nginxP95(), x.clientP95())).toList(),
        mean(samples, Sample::replicaRps),
        mean(samples, Sample::decidedRps));
  }

  private static void check(String service, double rate, double burnMs, List<Sample> samples) {
    for (Sample x : samples) {
      String at = service + " window ending " + x.windowEnd();
      // The same requests: nginx logs an answer a moment before the generator has read it, so
      // one at a second's edge may fall on either side.
      assertThat(x.nginxRequests())
          .as(at + ": requests at nginx vs the generator's")
          .isCloseTo(x.clientRequests(), within(Math.max(2L, x.clientRequests() / 50)));
      // nginx times the replica's answer (to the ms): never longer than the generator timed the
      // same requests (it adds nginx, the loopback and its own client: from 1 ms to hundreds on
      // this busy machine of two cores), never shorter than the CPU each request burns.
      assertThat(x.nginxP95())
          .as(at + ": p95 ms at nginx vs the generator's")
          .isLessThanOrEqualTo(x.clientP95() + 2)
          .isGreaterThanOrEqualTo(burnMs);
      assertThat(x.replicaRps())
          .as(at + ": the replica's rps is its service's (one replica)")
          .isCloseTo(x.nginxRequests() / 3.0, within(0.5));
      assertThat(x.replicaP95())
          .as(at + ": the replica's p95")
          .isCloseTo(x.nginxP95(), within(0.5));
    }
    // Most windows' p95 at nginx is close to the generator's: the median ratio.
    double[] ratios =
        samples.stream().mapToDouble(x -> x.nginxP95() / x.clientP95()).sorted().toArray();
    assertThat(ratios[ratios.length / 2])
        .as(service + " median p95 nginx/generator")
        .isBetween(0.5, 1.05);
    // What the decision core saw at its ticks is the same reading, over the same 10 s.
    assertThat(mean(samples, Sample::decidedRps))
        .as(service + " rps in the decision records vs at nginx")
        .isCloseTo(mean(samples, x -> x.nginxRequests() / 3.0), within(0.2 * rate + 1));
  }
}
