package dev.dockscale.cli;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Balancer;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.Replica;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A burst: a service of the sample backend at one replica is told to have ten (its minimum raised
 * by a config reload), and the clock runs until nginx routes to all ten, ready, for the same loop
 * starting the nine new replicas one after another (one action thread, the baseline) and all at
 * once (the engine's own pool), and all at once with a start-up boost ({@code startup-cpus: 2}), in
 * one run, beside the floor of plain Docker ({@link BurstFloor}); they take turns round by round.
 * Each round also counts the balancer's reloads and checks through nginx on 127.0.0.1 that ten
 * replicas answer.
 */
@Command(
    name = "bench-burst",
    mixinStandardHelpOptions = true,
    hidden = true,
    description = "1 -> N replicas ready behind nginx, sequential vs parallel starts, one run.")
final class BenchBurstCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--rounds", defaultValue = "5", description = "default: ${DEFAULT-VALUE}")
  int rounds;

  @Option(names = "--to", defaultValue = "10", description = "default: ${DEFAULT-VALUE}")
  int to;

  private record Round(double seconds, int reloads) {}

  /** One way of bursting, in a project of its own. */
  private record Mode(String name, boolean oneAtATime, double startupCpus) {}

  private static final List<Mode> MODES =
      List.of(
          new Mode("sequential (baseline)", true, 0),
          new Mode("parallel", false, 0),
          new Mode("parallel, startup-cpus 2", false, 2));

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || rounds > 50 || to < 2 || to > 30) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--rounds must be 1..50 and --to 2..30");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Lane> lanes = new ArrayList<>();
    BurstFloor floor = null;
    List<Round> floorRounds = new ArrayList<>();
    try {
      for (Mode mode : MODES) {
        lanes.add(new Lane(mode, out));
      }
      floor = new BurstFloor(lanes.get(0).stack.docker(), to - 1);
      // The modes and the floor take turns, round by round, in a rotating order: a machine that
      // speeds up or slows down during the run (it does, by tenths of a second) weighs on all
      // alike.
      int turns = lanes.size() + 1;
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < turns; i++) {
          int turn = (round + i) % turns;
          if (turn < lanes.size()) {
            lanes.get(turn).round(round + 1);
          } else {
            double seconds = floor.round();
            floorRounds.add(new Round(seconds, 0));
            out.printf(
                "  floor (plain Docker) round %d: %d listening in %.2f s%n",
                round + 1, to - 1, seconds);
            out.flush();
          }
        }
      }
    } finally {
      if (floor != null) {
        floor.close();
      }
      for (Lane lane : lanes) {
        lane.close();
      }
    }
    double base = BenchReactionCommand.percentile(seconds(lanes.get(0).results), 50);
    out.println();
    out.printf("%-30s %8s %8s %10s %14s%n", "starts", "p50", "max", "vs base", "reloads/burst");
    for (Lane lane : lanes) {
      row(out, lane.mode.name(), lane.results, base, true);
    }
    row(out, "floor: plain Docker, no nginx", floorRounds, base, false);
    out.printf(
        "(1 -> %d replicas of the sample backend, %d rounds each, taking turns; the floor starts"
            + " %d containers and stops when the last one's log says it listens)%n",
        to, rounds, to - 1);
    return 0;
  }

  private static void row(
      PrintWriter out, String name, List<Round> rounds, double base, boolean reloads) {
    double p50 = BenchReactionCommand.percentile(seconds(rounds), 50);
    out.printf(
        "%-30s %7.2fs %7.2fs %9.2fx %14s%n",
        name,
        p50,
        BenchReactionCommand.percentile(seconds(rounds), 100),
        p50 / base,
        reloads
            ? "%.1f".formatted(rounds.stream().mapToInt(Round::reloads).average().orElse(0))
            : "-");
  }

  private static double[] seconds(List<Round> rounds) {
    return rounds.stream().mapToDouble(Round::seconds).toArray();
  }

  /** A mode's project, loop and balancer, kept from the first round to the last. */
  private final class Lane implements AutoCloseable {
    final Mode mode;
    final List<Round> results = new ArrayList<>();
    private final PrintWriter out;
    private final String project = "dsbench-" + UUID.randomUUID().toString().substring(0, 6);
    private final int port = Waits.freePort();
    private final DockscaleConfig one;
    private final DockscaleConfig many;
    private final ExecutorService actions;
    private final Counting balancer = new Counting(to);
    private final AtomicReference<ServiceStatus> latest = new AtomicReference<>();
    private final Stack stack;
    private final Controller controller;

    Lane(Mode mode, PrintWriter out) throws Exception {
      this.mode = mode;
      this.out = out;
      one = ConfigLoader.parse(project + ".yml", yaml(project, port, 1, mode.startupCpus()));
      many = ConfigLoader.parse(project + ".yml", yaml(project, port, to, mode.startupCpus()));
      actions = mode.oneAtATime() ? Executors.newSingleThreadExecutor() : null;
      stack = new Stack(one, line -> out.println("notice: " + line));
      Controller loop = null;
      try {
        stack.prepareImages();
        loop = stack.controller(actions, real -> balancer.in(real));
        loop.onTick(all -> all.forEach(latest::set));
        loop.start();
        controller = loop;
        awaitOne();
      } catch (Exception | Error e) {
        // Nothing of a lane that could not start is left behind.
        stack.abandon(loop);
        if (actions != null) {
          actions.shutdownNow();
        }
        throw e;
      }
    }

    /** Waits until the service is back at one and the others are removed (no removal competes). */
    private void awaitOne() throws InterruptedException {
      Waits.require(
          () -> atOne(latest.get()) && replicaContainers(stack, project) == 1,
          Duration.ofSeconds(120),
          "the service back at one, the others removed");
    }

    void round(int round) throws Exception {
      balancer.reset();
      long start = System.nanoTime();
      controller.reload(many);
      Waits.require(
          () -> balancer.allAt.get() != 0, Duration.ofSeconds(120), to + " replicas behind nginx");
      double seconds = (balancer.allAt.get() - start) / 1e9;
      int answering = answering(port);
      results.add(new Round(seconds, balancer.reloads.get()));
      out.printf(
          "  %s round %d: %d behind nginx in %.2f s, %d reload(s); %d answered through nginx%n",
          mode.name(), round, to, seconds, balancer.reloads.get(), answering);
      out.flush();
      controller.reload(one);
      awaitOne();
    }

    @Override
    public void close() {
      try {
        controller.close();
        stack.down();
      } finally {
        stack.close();
        if (actions != null) {
          actions.shutdownNow();
        }
      }
    }
  }

  /** How many distinct replicas answer through nginx within a few seconds of requests. */
  private int answering(int port) throws InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    try (LoadGenerator load =
        new LoadGenerator(uri, 4, () -> 4, Duration.ofSeconds(10), 100L * to).start()) {
      Waits.until(() -> load.byServer().size() >= to, Duration.ofSeconds(5), Duration.ofMillis(50));
      return load.byServer().size();
    }
  }

  /**
   * The project's replica containers the engine still has, running or not: a round starts once the
   * last round's are removed, so that no removal competes with its starts.
   */
  private static int replicaContainers(Stack stack, String project) {
    Map<String, String> labels = new HashMap<>(Labels.project(project));
    labels.put(Labels.ROLE, Labels.ROLE_REPLICA);
    return stack
        .docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(labels)
        .exec()
        .size();
  }

  private static boolean atOne(ServiceStatus s) {
    return s != null
        && s.active() == 1
        && s.ready() == 1
        && s.replicas().stream().noneMatch(Replica::draining);
  }

  /** The real balancer, counting reloads and noting when a reload first routes to all. */
  private static final class Counting {
    private final int all;
    final AtomicInteger reloads = new AtomicInteger();
    final AtomicLong allAt = new AtomicLong();

    Counting(int all) {
      this.all = all;
    }

    void reset() {
      reloads.set(0);
      allAt.set(0);
    }

    Balancer in(Balancer real) {
      return new Balancer() {
        @Override
        public void ensureRunning() {
          real.ensureRunning();
        }

        @Override
        public void lookAgain() {
          real.lookAgain();
        }

        @Override
        public Outcome apply(List<Route> routes) {
          Outcome outcome = real.apply(routes);
          if (outcome == Outcome.RELOADED) {
            reloads.incrementAndGet();
            boolean everyone = routes.stream().anyMatch(r -> r.backends().size() == all);
            if (everyone) {
              allAt.compareAndSet(0, System.nanoTime());
            }
          }
          return outcome;
        }
      };
    }
  }

  static String yaml(String project, int port, int replicas, double startupCpus) {
    return BenchReactionCommand.sampleBackend(
        project,
        port,
        "{ min: %d, max: %d }".formatted(replicas, replicas),
        "preset: classic\ncpu: { up: 99, down: 1 }\n",
        startupCpus);
  }
}
