package dev.dockscale.cli;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How fast a load step becomes a second replica answering through nginx on 127.0.0.1, measured for
 * three ways of running in one run: metrics from the Engine's stats streams (the baseline), from
 * the cgroup tree (cold starts), and from the cgroup tree with a warm pool of one; with {@code
 * --swarm}, cold starts on one Engine (the baseline) against a Swarm service's count set, with the
 * same metrics, cadence and policy. Each mode gets its own project; each step waits for the service
 * to be back at one replica (and a full pool) before the next load step.
 */
@Command(
    name = "bench-reaction",
    mixinStandardHelpOptions = true,
    hidden = true,
    description = "Load step -> second replica serving through nginx: p50/p95 per mode, one run.")
final class BenchReactionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--steps",
      defaultValue = "10",
      description = "load steps per mode (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--swarm",
      description =
          "compare runtime: swarm with runtime: docker (both cold, metrics from the cgroup tree) instead; the engine must be a swarm manager (scripts/bench-reaction-swarm)")
  boolean swarm;

  private record Mode(String name, boolean cgroups, int warm, boolean swarm, double startupCpus) {
    Mode(String name, boolean cgroups, int warm, boolean swarm) {
      this(name, cgroups, warm, swarm, 0);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || steps > 100) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--steps must be from 1 to 100, got " + steps);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Mode> modes =
        swarm
            ? List.of(
                new Mode("docker-cold", true, 0, false), new Mode("swarm-cold", true, 0, true))
            : List.of(
                new Mode("stats-stream", false, 0, false),
                new Mode("cgroup-cold", true, 0, false),
                new Mode("cgroup-cold-boost", true, 0, false, 2),
                new Mode("cgroup-warm", true, 1, false));
    List<Lane> lanes = new ArrayList<>();
    try {
      for (Mode mode : modes) {
        lanes.add(new Lane(mode, out));
      }
      // The modes take turns, step by step, in a rotating order: a machine that speeds up or slows
      // down during the run weighs on every mode alike.
      for (int step = 0; step < steps; step++) {
        for (int i = 0; i < lanes.size(); i++) {
          lanes.get((step + i) % lanes.size()).step(step);
        }
      }
    } finally {
      for (Lane lane : lanes) {
        lane.close();
      }
    }
    out.println();
    for (Lane lane : lanes) {
      out.printf("%-17s %s%n", lane.mode.name(), summary(lane.seconds));
    }
    out.println();
    out.printf("%-17s %8s %8s %10s%n", "mode", "p50 s", "p95 s", "p50 ratio");
    double base = percentile(lanes.get(0).seconds, 50);
    for (Lane lane : lanes) {
      double p50 = percentile(lane.seconds, 50);
      out.printf(
          "%-17s %8.2f %8.2f %9.2fx%n",
          lane.mode.name(), p50, percentile(lane.seconds, 95), p50 / base);
    }
    out.println("(the modes took turns, step by step)");
    return 0;
  }

  /** A mode's project and loop, kept from the first step to the last. */
  private final class Lane implements AutoCloseable {
    final Mode mode;
    final double[] seconds = new double[steps];
    private final PrintWriter out;
    private final String project = "dsbench-" + UUID.randomUUID().toString().substring(0, 6);
    private final int port = Waits.freePort();
    private final AtomicReference<ServiceStatus> latest = new AtomicReference<>();
    private final Stack stack;
    private final Controller controller;

    Lane(Mode mode, PrintWriter out) throws Exception {
      this.mode = mode;
      this.out = out;
      DockscaleConfig config =
          ConfigLoader.parse(
              project + ".yml",
              yaml(project, port, mode.warm(), mode.startupCpus())
                  + (mode.swarm() ? "runtime: swarm\n" : ""));
      stack = new Stack(config, line -> out.println("notice: " + line), mode.cgroups());
      Controller loop = null;
      try {
        stack.prepareImages();
        loop = stack.controller(false);
        loop.onTick(all -> all.forEach(latest::set));
        loop.start();
        controller = loop;
        awaitOne();
      } catch (Exception | Error e) {
        // Nothing of a lane that could not start is left behind.
        stack.abandon(loop);
        throw e;
      }
    }

    private void awaitOne() throws InterruptedException {
      Waits.require(
          () -> atOne(latest.get(), mode.warm()),
          Duration.ofSeconds(120),
          "the service back at one replica (and a full warm pool)");
    }

    void step(int step) throws Exception {
      URI cpu = URI.create("http://127.0.0.1:" + port + "/cpu?ms=50");
      long start = System.nanoTime();
      try (LoadGenerator load =
          new LoadGenerator(cpu, 6, () -> 6, Duration.ofSeconds(60), 1_000_000).start()) {
        Waits.require(
            () -> load.byServer().size() >= 2,
            Duration.ofSeconds(60),
            "a second replica answering");
        seconds[step] = (System.nanoTime() - start) / 1e9;
      }
      out.printf("  %s step %d: %.2f s%n", mode.name(), step + 1, seconds[step]);
      out.flush();
      // Back at one before another mode's step, so that no scale-in competes with it.
      awaitOne();
    }

    @Override
    public void close() {
      try {
        controller.close();
        stack.down();
      } finally {
        stack.close();
      }
    }
  }

  /** One ready serving replica, nothing leaving, and the warm pool paused and full. */
  private static boolean atOne(ServiceStatus s, int warm) {
    if (s == null || s.active() != 1 || s.ready() != 1) {
      return false;
    }
    long leaving = s.replicas().stream().filter(Replica::draining).count();
    long paused =
        s.replicas().stream().filter(r -> r.warm() && r.state() == Replica.State.PAUSED).count();
    return leaving == 0 && paused == warm;
  }

  static String yaml(String project, int port, int warm, double startupCpus) {
    return sampleBackend(
        project,
        port,
        "{ min: 1, max: 2, warm: " + warm + " }",
        """
            preset: classic
            cpu: { up: 70, down: 20 }
            cooldown: { up: 1s, down: 2s }
        """,
        startupCpus);
  }

  /**
   * A project of one service, {@code web}, of the sample backend at 0.5 CPU behind a balancer on
   * 127.0.0.1:{@code port}, with these {@code replicas} and {@code scale} settings.
   */
  static String sampleBackend(String project, int port, String replicas, String scale) {
    return sampleBackend(project, port, replicas, scale, 0);
  }

  /** The same, its replicas starting with {@code startupCpus} until ready (0: no boost). */
  static String sampleBackend(
      String project, int port, String replicas, String scale, double startupCpus) {
    String boost = startupCpus > 0 ? ", startup-cpus: " + startupCpus : "";
    return """
        project: %s
        interval: 1s
        services:
          web:
            image: dockscale/sample-backend:latest
            env: { SERVER_NAME: "{{name}}" }
            resources: { cpus: 0.5%s, memory: 256m }
            health: { path: /health }
            replicas: %s
            scale:
        %s
            drain: 1s
            stop-timeout: 2s
        balancer:
          listen: 127.0.0.1:%d
        """
        .formatted(project, boost, replicas, scale.stripIndent().indent(6).stripTrailing(), port);
  }

  /** The p-th percentile (nearest rank); NaN when there are no values. */
  static double percentile(double[] values, int p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String summary(double[] seconds) {
    return String.format(
        "p50 %.2f s, p95 %.2f s over %d steps",
        percentile(seconds, 50), percentile(seconds, 95), seconds.length);
  }
}
