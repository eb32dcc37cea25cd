package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The floor of a burst, with no dockscale: {@code starts} containers of the sample backend (the
 * same image, limits and kind of network) created and started at once through the Engine's API, the
 * clock stopping when the last one's log says it listens (the log's own timestamps). No probe, no
 * nginx: what Docker and the JVMs take by themselves, measured in the same run as the bursts. The
 * log's timestamps come from the Engine on this host, so they share this clock.
 */
final class BurstFloor implements AutoCloseable {

  private static final String LABEL = "dockscale.bench-floor";

  private final DockerClient docker;
  private final int starts;
  private final String run = UUID.randomUUID().toString().substring(0, 6);
  private final String network = "dsbench-floor-" + run + "-net";
  private final ExecutorService pool;

  BurstFloor(DockerClient docker, int starts) {
    this.docker = docker;
    this.starts = starts;
    this.pool = Executors.newFixedThreadPool(starts);
    docker.createNetworkCmd().withName(network).withLabels(Map.of(LABEL, run)).exec();
  }

  /** One round: seconds from asking for the starts until the last replica listens. */
  double round() throws Exception {
    Instant t0 = Instant.now();
    List<CompletableFuture<String>> started = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      started.add(CompletableFuture.supplyAsync(this::createAndStart, pool));
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<String> f : started) {
      ids.add(f.get(60, TimeUnit.SECONDS));
    }
    Instant last = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    // At most 300 looks, 200 ms apart: each reads every container's log once.
    for (int look = 0; look < 300 && last == null && System.nanoTime() < deadline; look++) {
      last = lastListening(ids);
      if (last == null) {
        Thread.sleep(200);
      }
    }
    removeAll();
    if (last == null) {
      throw new IllegalStateException(
          "the floor's " + starts + " containers did not all listen within 60 s");
    }
    return Duration.between(t0, last).toNanos() / 1e9;
  }

  private String createAndStart() {
    String id =
        docker
            .createContainerCmd("dockscale/sample-backend:latest")
            .withLabels(Map.of(LABEL, run))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode(network)
                    .withNanoCPUs(500_000_000L)
                    .withMemory(256L << 20))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  /** When the last of them logged that it listens, or null while one has not yet. */
  private Instant lastListening(List<String> ids) throws InterruptedException {
    Instant last = Instant.MIN;
    for (String id : ids) {
      Optional<Instant> at = listeningAt(id);
      if (at.isEmpty()) {
        return null;
      }
      last = at.get().isAfter(last) ? at.get() : last;
    }
    return last;
  }

  private Optional<Instant> listeningAt(String id) throws InterruptedException {
    StringBuilder log = new StringBuilder();
    docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withTimestamps(true)
        .exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                log.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            })
        .awaitCompletion(5, TimeUnit.SECONDS);
    return log.toString()
        .lines()
        .filter(line -> line.contains(" listening on "))
        .findFirst()
        .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))));
  }

  private void removeAll() {
    for (Container c :
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, run)).exec()) {
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      removeAll();
    } finally {
      docker.removeNetworkCmd(network).exec();
    }
  }
}
