package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.ServiceStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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
    double plain = plain(out);
    out.printf("plain %d containers, nobody watching: %.1f %% of one core%n", replicas, plain);
    out.flush();
    double cgroup = watched(true, out);
    double streams = watched(false, out);
    out.println();
    out.printf(
        "%-14s %14s %16s %20s%n", "metrics", "host CPU %", "watching cost %", "per 1,000 replicas");
    for (var row : List.of(Map.entry("cgroup tree", cgroup), Map.entry("stats streams", streams))) {
      double cost = row.getValue() - plain;
      out.printf(
          "%-14s %14.1f %16.1f %19.1f%n",
          row.getKey(), row.getValue(), cost, cost / replicas * 1000);
    }
    out.printf(
        "(%% of one core; cost = host CPU minus the plain run; per 1,000 = cost / %d x 1,000, a linear extrapolation)%n",
        replicas);
    return 0;
  }

  private double plain(PrintWriter out) throws Exception {
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
        return hostCpu(seconds);
      } finally {
        out.println("removed: " + stack.down().size() + " objects");
      }
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
        Thread.sleep(5_000);
        long rssBefore = rss();
        double cpu = hostCpu(seconds);
        out.printf(
            "%s: %d replicas ready; host %.1f %% of one core; dockscale RSS %d MB%n",
            cgroups ? "cgroup tree" : "stats streams",
            replicas,
            cpu,
            Math.max(rssBefore, rss()) >> 20);
        out.flush();
        return cpu;
      } finally {
        out.println("removed: " + stack.down().size() + " objects");
      }
    }
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
            health: { tcp: true }
            replicas: { min: %d, max: %d }
            scale: { preset: classic, cpu: { up: 99, down: 1 } }
            stop-timeout: 2s
        balancer:
          listen: 127.0.0.1:%d
        """
        .formatted(project, IMAGE, replicas, replicas, port);
  }
}
