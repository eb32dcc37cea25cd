package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.MetricsSource.MeasuredReplica;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.runtime.docker.CgroupMetricsSource;
import dev.dockscale.runtime.docker.DockerStatsSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What watching costs: the host's CPU with N idle replicas under dockscale (probes, metrics,
 * events, ticks: dockscale, dockerd and containerd together) minus the same N containers started
 * plainly with nobody watching, measured in one run, for metrics from the cgroup tree and from the
 * Engine's stats streams. The replicas are the balancer's nginx image probed by TCP, so that the
 * containers themselves cost next to nothing and a few hundred fit in memory.
 */
@Command(
    name = "bench-watch",
    mixinStandardHelpOptions = true,
    hidden = true,
    description = "Host CPU of watching N idle replicas, cgroup reader vs stats streams, one run.")
final class BenchWatchCommand implements Callable<Integer> {

  private static final String IMAGE = "dockscale/nginx:latest";

  @Spec CommandSpec spec;

  @Option(names = "--replicas", defaultValue = "100", description = "default: ${DEFAULT-VALUE}")
  int replicas;

  @Option(
      names = "--probe-interval",
      defaultValue = "2s",
      description = "health.interval of the watched replicas (default: ${DEFAULT-VALUE})")
  String probeInterval;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "measuring window (default: ${DEFAULT-VALUE})")
  int seconds;

  @Override
  public Integer call() throws Exception {
    if (replicas < 1 || replicas > 1000 || seconds < 5 || seconds > 600) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--replicas must be 1..1000 and --seconds 5..600");
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<String, CpuWindow> phases = new LinkedHashMap<>();
    CpuWindow plain = plainAndSampled(out, phases);
    phases.put("whole loop, cgroup tree", watched(true, out));
    phases.put("whole loop, stats streams", watched(false, out));
    out.println();
    out.printf(
        "%-28s %10s %10s %12s %12s%n",
        "what runs", "host %", "per 1,000", "watchers %", "per 1,000");
    phases.forEach(
        (what, w) -> {
          double host = w.host() - plain.host();
          double watchers = w.watchers() - plain.watchers();
          out.printf(
              "%-28s %10.1f %10.1f %12.2f %12.2f%n",
              what, host, host / replicas * 1000, watchers, watchers / replicas * 1000);
        });
    out.printf(
        "(%% of one core over %d s, minus the same %d containers with nobody watching: host, the"
            + " whole machine (%.1f %% then); watchers, dockscale + dockerd + containerd (%.2f %%"
            + " then), what the goal counts; per 1,000 = cost / %d x 1,000, a linear"
            + " extrapolation)%n",
        seconds, replicas, plain.host(), plain.watchers(), replicas);
    return 0;
  }

  /**
   * The baseline (the containers alone), then each metrics source alone reading all of them once a
   * second, on the same containers: what sampling costs without probes, events or decisions.
   */
  private CpuWindow plainAndSampled(PrintWriter out, Map<String, CpuWindow> phases)
      throws Exception {
    String project = "dsbench-" + UUID.randomUUID().toString().substring(0, 6);
    DockscaleConfig config = ConfigLoader.parse(project + ".yml", yaml(project, Waits.freePort()));
    try (Stack stack = new Stack(config, line -> out.println("notice: " + line))) {
      stack.prepareBalancerImage();
      DockerClient docker = stack.docker();
      try {
        docker
            .createNetworkCmd()
            .withName(config.networkName())
            .withLabels(Labels.project(project))
            .exec();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
          String id =
              docker
                  .createContainerCmd(IMAGE)
                  .withName(project + "-plain-" + i)
                  .withLabels(Labels.project(project))
                  .withHostConfig(
                      HostConfig.newHostConfig()
                          .withNetworkMode(config.networkName())
                          .withMemory(32L << 20))
                  .exec()
                  .getId();
          docker.startContainerCmd(id).exec();
          ids.add(id);
        }
        Thread.sleep(5_000);
        CpuWindow plain = CpuWindow.measure(seconds);
        out.printf(
            "plain %d containers, nobody watching: host %.1f %% of one core (watchers %.2f)%n",
            replicas, plain.host(), plain.watchers());
        out.flush();
        List<MeasuredReplica> measured =
            ids.stream().map(id -> new MeasuredReplica(id, 0.1, 32L << 20)).toList();
        try (MetricsSource cgroups =
            CgroupMetricsSource.forHost(
                Clock.systemUTC(), new DockerStatsSource(docker, Clock.systemUTC()))) {
          phases.put("sampling, cgroup tree", sampled("cgroup tree", cgroups, measured, out));
        }
        try (MetricsSource streams = new DockerStatsSource(docker, Clock.systemUTC())) {
          phases.put("sampling, stats streams", sampled("stats streams", streams, measured, out));
        }
        return plain;
      } finally {
        out.println("removed: " + stack.down().size() + " objects");
      }
    }
  }

  /**
   * Host CPU while {@code source} reads every replica once a second; prints how old the samples are
   * when a read returns (what a decision would see).
   */
  private CpuWindow sampled(
      String name, MetricsSource source, List<MeasuredReplica> measured, PrintWriter out)
      throws Exception {
    List<Double> ages = Collections.synchronizedList(new ArrayList<>());
    int[] complete = {0, 0};
    ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
    try {
      reader.scheduleAtFixedRate(
          () -> {
            Map<String, ReplicaMetrics> read = source.read(measured);
            Instant now = Instant.now();
            read.values()
                .forEach(m -> ages.add(Duration.between(m.sampledAt(), now).toNanos() / 1e6));
            complete[0]++;
            complete[1] += read.size();
          },
          0,
          1,
          TimeUnit.SECONDS);
      Thread.sleep(5_000);
      ages.clear();
      CpuWindow cpu = CpuWindow.measure(seconds);
      double[] sorted = ages.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.printf(
          "sampling only, %s: host %.1f %% of one core (watchers %.2f: dockscale %.2f, dockerd"
              + " %.2f, containerd %.2f); %d reads, %.0f of %d replicas sampled a read; sample age"
              + " when read p50 %.0f ms, p95 %.0f ms%n",
          name,
          cpu.host(),
          cpu.watchers(),
          cpu.of("self"),
          cpu.of("dockerd"),
          cpu.of("containerd"),
          complete[0],
          complete[0] == 0 ? 0.0 : (double) complete[1] / complete[0],
          measured.size(),
          BenchReactionCommand.percentile(sorted, 50),
          BenchReactionCommand.percentile(sorted, 95));
      out.flush();
      return cpu;
    } finally {
      reader.shutdownNow();
    }
  }

  private CpuWindow watched(boolean cgroups, PrintWriter out) throws Exception {
    String project = "dsbench-" + UUID.randomUUID().toString().substring(0, 6);
    DockscaleConfig config = ConfigLoader.parse(project + ".yml", yaml(project, Waits.freePort()));
    try (Stack stack = new Stack(config, line -> out.println("notice: " + line), cgroups)) {
      stack.prepareBalancerImage();
      AtomicReference<ServiceStatus> latest = new AtomicReference<>();
      try (Controller controller = stack.controller(false)) {
        controller.onTick(all -> all.forEach(latest::set));
        controller.start();
        Waits.require(
            () -> latest.get() != null && latest.get().ready() == replicas,
            Duration.ofSeconds(60 + replicas),
            replicas + " replicas ready");
        // Past the start-up and the JIT compiler's first minute: what watching costs for as long as
        // it runs.
        Thread.sleep(30_000);
        long rssBefore = rss();
        CpuWindow cpu = CpuWindow.measure(seconds);
        List<String> named = List.of("self", "dockerd", "containerd", "docker-proxy", "nginx");
        out.printf(
            "%s: %d replicas ready; host %.1f %% of one core (dockscale %.1f, dockerd %.1f,"
                + " containerd and shims %.1f, docker-proxy %.1f, nginx %.1f, the rest and the"
                + " kernel's own %.1f); dockscale RSS %d MB%n",
            cgroups ? "cgroup tree" : "stats streams",
            replicas,
            cpu.host(),
            cpu.of("self"),
            cpu.of("dockerd"),
            cpu.of("containerd"),
            cpu.of("docker-proxy"),
            cpu.of("nginx"),
            cpu.host() - named.stream().mapToDouble(cpu::of).sum(),
            Math.max(rssBefore, rss()) >> 20);
        out.flush();
        return cpu;
      } finally {
        out.println("removed: " + stack.down().size() + " objects");
      }
    }
  }

  /** This process's resident memory, in bytes. */
  private static long rss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) << 10;
      }
    }
    return 0;
  }

  private String yaml(String project, int port) {
    return """
        project: %s
        interval: 1s
        services:
          idle:
            image: %s
            port: 80
            resources: { cpus: 0.1, memory: 32m }
            health: { tcp: true, interval: %s }
            replicas: { min: %d, max: %d }
            scale: { preset: classic, cpu: { up: 99, down: 1 } }
            stop-timeout: 2s
        balancer:
          listen: 127.0.0.1:%d
        """
        .formatted(project, IMAGE, probeInterval, replicas, replicas, port);
  }
}
