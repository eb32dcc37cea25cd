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
import java.util.HashMap;
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
    Map<String, Double> cost = new LinkedHashMap<>();
    double plain = plainAndSampled(out, cost);
    cost.put("whole loop, cgroup tree", watched(true, out) - plain);
    cost.put("whole loop, stats streams", watched(false, out) - plain);
    out.println();
    out.printf("%-28s %16s %20s%n", "what runs", "watching cost %", "per 1,000 replicas");
    cost.forEach((what, c) -> out.printf("%-28s %16.1f %19.1f%n", what, c, c / replicas * 1000));
    out.printf(
        "(%% of one core over %d s: host CPU minus the same %d containers with nobody watching,"
            + " %.1f %%; per 1,000 = cost / %d x 1,000, a linear extrapolation)%n",
        seconds, replicas, plain, replicas);
    return 0;
  }

  /**
   * The baseline (the containers alone), then each metrics source alone reading all of them once a
   * second, on the same containers: what sampling costs without probes, events or decisions.
   */
  private double plainAndSampled(PrintWriter out, Map<String, Double> cost) throws Exception {
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
        double plain = hostCpu(seconds);
        out.printf("plain %d containers, nobody watching: %.1f %% of one core%n", replicas, plain);
        out.flush();
        List<MeasuredReplica> measured =
            ids.stream().map(id -> new MeasuredReplica(id, 0.1, 32L << 20)).toList();
        try (MetricsSource cgroups =
            CgroupMetricsSource.forHost(
                Clock.systemUTC(), new DockerStatsSource(docker, Clock.systemUTC()))) {
          cost.put("sampling, cgroup tree", sampled("cgroup tree", cgroups, measured, out) - plain);
        }
        try (MetricsSource streams = new DockerStatsSource(docker, Clock.systemUTC())) {
          cost.put(
              "sampling, stats streams", sampled("stats streams", streams, measured, out) - plain);
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
  private double sampled(
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
      double cpu = hostCpu(seconds);
      double[] sorted = ages.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.printf(
          "sampling only, %s: host %.1f %% of one core; %d reads, %.0f of %d replicas sampled a"
              + " read; sample age when read p50 %.0f ms, p95 %.0f ms%n",
          name,
          cpu,
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

  private double watched(boolean cgroups, PrintWriter out) throws Exception {
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
        Map<String, Long> before = processTicks();
        double cpu = hostCpu(seconds);
        Map<String, Long> after = processTicks();
        out.printf(
            "%s: %d replicas ready; host %.1f %% of one core (dockscale %.1f, dockerd %.1f,"
                + " containerd and shims %.1f, docker-proxy %.1f, nginx %.1f, the rest and the"
                + " kernel's own %.1f); dockscale RSS %d MB%n",
            cgroups ? "cgroup tree" : "stats streams",
            replicas,
            cpu,
            share(before, after, "self"),
            share(before, after, "dockerd"),
            share(before, after, "containerd"),
            share(before, after, "docker-proxy"),
            share(before, after, "nginx"),
            cpu
                - List.of("self", "dockerd", "containerd", "docker-proxy", "nginx").stream()
                    .mapToDouble(k -> share(before, after, k))
                    .sum(),
            Math.max(rssBefore, rss()) >> 20);
        out.flush();
        return cpu;
      } finally {
        out.println("removed: " + stack.down().size() + " objects");
      }
    }
  }

  /** % of one core that a group of processes used between two {@link #processTicks}. */
  private double share(Map<String, Long> before, Map<String, Long> after, String group) {
    long ticks = after.getOrDefault(group, 0L) - before.getOrDefault(group, 0L);
    return ticks * 100.0 / TICKS_PER_SECOND / seconds;
  }

  /** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
  private static final int TICKS_PER_SECOND = 100;

  /**
   * CPU ticks used so far by this process ("self") and by the processes named dockerd, containerd
   * (with its shims), docker-proxy and nginx, from /proc/[pid]/stat.
   */
  private static Map<String, Long> processTicks() throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    long self = ProcessHandle.current().pid();
    try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : dirs) {
        String stat;
        try {
          stat = Files.readString(dir.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long used = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        String group =
            dir.getFileName().toString().equals(Long.toString(self))
                ? "self"
                : comm.startsWith("containerd") ? "containerd" : comm;
        ticks.merge(group, used, Long::sum);
      }
    }
    return ticks;
  }

  /** Busy CPU of the whole host over {@code seconds}, in % of one core, from /proc/stat. */
  static double hostCpu(int seconds) throws IOException, InterruptedException {
    long[] a = procStat();
    Thread.sleep(seconds * 1000L);
    long[] b = procStat();
    long busy = b[0] - a[0];
    long total = b[1] - a[1];
    // The jiffies count every core's time: busy/total is the share of all cores.
    int cores = Runtime.getRuntime().availableProcessors();
    return total <= 0 ? 0 : (double) busy / total * cores * 100;
  }

  /** Busy and total jiffies of all CPUs. */
  private static long[] procStat() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    String[] f = cpu.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total - idle, total};
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
