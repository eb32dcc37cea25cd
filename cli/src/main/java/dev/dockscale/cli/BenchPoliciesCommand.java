package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.Profile;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.RateLimit;
import dev.dockscale.policy.RateLimits;
import dev.dockscale.simulator.Comparison;
import dev.dockscale.simulator.Evaluation;
import dev.dockscale.simulator.Pipeline;
import dev.dockscale.simulator.SimulatedService;
import dev.dockscale.simulator.Tuner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The simulator's policy comparison on the real stack: for each policy in turn, a project of the
 * sample backend ({@code /cpu?ms=20}, replicas of 0.5 CPU, 1 to 4) behind nginx on 127.0.0.1,
 * driven by Gatling's open-model load through the profiles one after another (a step, a spike, a
 * ramp). Per policy and profile: container-seconds (the project's replicas listed by label once a
 * second, starting, ready and draining alike), the share of requests answered within the SLO,
 * p50/p95/p99, failed requests and scale events (changes of the non-draining count), written as
 * markdown, CSV and one SVG chart of replicas over time per profile.
 *
 * <p>{@code hpa} and {@code hpa-tuned} see their metrics through a 15 s pipeline ({@link
 * WindowedMetricsSource}), decide every 15 s and do not sample between ticks, as HPA with
 * metrics-server would; {@code hpa-tuned}'s settings are what the simulator's tuner finds on its
 * training traces for this service.
 */
@Command(
    name = "bench-policies",
    mixinStandardHelpOptions = true,
    hidden = true,
    description = "Policies compared on the real stack under Gatling's open-model load.")
final class BenchPoliciesCommand implements Callable<Integer> {

  static final List<String> POLICIES =
      List.of("static-peak", "classic", "hpa", "hpa-tuned", "dockscale");

  /** What each request costs the sample backend, and the replica's CPU limit. */
  static final int REQUEST_CPU_MS = 20;

  static final double CPUS = 0.5;
  static final int MIN = 1;
  static final int MAX = 4;
  static final Duration SLO = Duration.ofMillis(250);
  static final Duration HPA_PIPELINE = Duration.ofSeconds(15);

  /** The profiles' defaults: 5 req/s at rest, peaks of 45-50 req/s (0.9-1.0 core of demand). */
  static final Map<String, String> PROFILES = new LinkedHashMap<>();

  static {
    PROFILES.put("step", "base=5,high=45,t1=8,t2=30,duration=45");
    PROFILES.put("spike", "base=5,peak=50,at=8,length=10,duration=32");
    PROFILES.put("ramp", "base=5,peak=45,up=14,hold=10,down=18");
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--policy",
      description = "a policy to run, repeatable (default: all of " + "${COMPLETION-CANDIDATES})",
      completionCandidates = PolicyNames.class)
  List<String> policies = new ArrayList<>();

  @Option(
      names = "--profile",
      description =
          "a load profile, repeatable: step, spike or ramp, optionally with settings, e.g."
              + " step:duration=20,t1=5,t2=15 (default: step, spike and ramp)")
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--out",
      defaultValue = "target/bench-policies",
      description = "folder for the report, configs, logs and Gatling reports")
  Path outDir;

  @Option(
      names = "--gatling",
      defaultValue = "scripts/gatling-run",
      description = "the gatling-run script (default: ${DEFAULT-VALUE})")
  Path gatling;

  @Option(
      names = "--startup",
      defaultValue = "2s",
      description =
          "the sample backend's start-up, for tuning hpa-tuned (default: ${DEFAULT-VALUE})")
  String startup;

  static final class PolicyNames extends ArrayList<String> {
    PolicyNames() {
      super(POLICIES);
    }
  }

  /** One profile to run: its name and settings (without the target). */
  record Load(String name, Map<String, String> settings) {
    Profile profile(String url) {
      return Profile.of(name, url, settings);
    }

    List<String> arguments() {
      List<String> args = new ArrayList<>();
      settings.forEach((k, v) -> args.add(k + "=" + v));
      return args;
    }
  }

  /** A container sample: when (ms since the epoch), replicas alive and those not draining. */
  record Sample(long at, int alive, int serving) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> chosen = policies.isEmpty() ? POLICIES : List.copyOf(policies);
    for (String p : chosen) {
      if (!POLICIES.contains(p)) {
        throw new ParameterException(
            spec.commandLine(), "unknown policy '" + p + "'; one of " + POLICIES);
      }
    }
    List<Load> loads = new ArrayList<>();
    try {
      for (String p : profiles.isEmpty() ? List.copyOf(PROFILES.keySet()) : profiles) {
        loads.add(load(p));
      }
      loads.forEach(l -> l.profile("http://127.0.0.1:8080/")); // validates the settings
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isExecutable(gatling)) {
      throw new ParameterException(spec.commandLine(), "no executable gatling-run at " + gatling);
    }
    Duration startupTime = dev.dockscale.policy.Durations.parse(startup);
    Files.createDirectories(outDir);
    long began = System.nanoTime();

    String tunedScale = null;
    if (chosen.contains("hpa-tuned")) {
      tunedScale = tuneHpa(startupTime, outDir);
    }
    int peakReplicas = staticPeak(loads);
    out.printf(
        "static-peak: %d replicas (the highest peak at %d ms of CPU a request, 80 %% of %.1f CPU)%n",
        peakReplicas, REQUEST_CPU_MS, CPUS);
    out.flush();

    List<BenchPoliciesReport.Row> rows = new ArrayList<>();
    Map<String, List<Sample>> timelines = new LinkedHashMap<>();
    Map<String, Map<String, long[]>> windows = new LinkedHashMap<>();
    for (String policy : chosen) {
      Map<String, long[]> policyWindows = new LinkedHashMap<>();
      List<Sample> samples = new CopyOnWriteArrayList<>();
      rows.addAll(runPolicy(policy, peakReplicas, tunedScale, loads, samples, policyWindows, out));
      timelines.put(policy, samples);
      windows.put(policy, policyWindows);
    }
    BenchPoliciesReport report = new BenchPoliciesReport(rows);
    Files.writeString(outDir.resolve("report.md"), report.markdown());
    Files.writeString(outDir.resolve("report.csv"), report.csv());
    for (Load load : loads) {
      Map<String, List<double[]>> lines = new LinkedHashMap<>();
      timelines.forEach(
          (policy, samples) -> {
            long[] w = windows.get(policy).get(load.name());
            if (w != null) {
              lines.put(policy, BenchPoliciesReport.servingOver(samples, w[0], w[1]));
            }
          });
      Files.writeString(
          outDir.resolve("replicas-" + load.name() + ".svg"),
          dev.dockscale.simulator.Charts.steps(
              "replicas not draining, " + load.name(), "replicas", lines));
    }
    out.println();
    out.print(report.markdown());
    out.printf(
        "%nwritten: %s (report.md, report.csv, replicas-*.svg, *.yml, logs/, gatling/); took %.0f s%n",
        out(), (System.nanoTime() - began) / 1e9);
    out.flush();
    return 0;
  }

  private Path out() {
    return outDir.toAbsolutePath().normalize();
  }

  static Load load(String spec) {
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    if (!PROFILES.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown profile '" + name + "'; one of " + PROFILES.keySet());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> given = new ArrayList<>(List.of(PROFILES.get(name).split(",")));
    if (colon >= 0 && colon < spec.length() - 1) {
      given.addAll(List.of(spec.substring(colon + 1).split(",")));
    }
    for (String kv : given) {
      int eq = kv.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "expected key=value in '" + spec + "', got '" + kv + "'");
      }
      settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    settings.put("slo", Long.toString(SLO.toMillis()));
    settings.putIfAbsent("timeout", "5000");
    return new Load(name, settings);
  }

  /** Replicas the highest peak needs at 80 % of their CPU, within [MIN, MAX]. */
  static int staticPeak(List<Load> loads) {
    double peak = 0;
    for (Load l : loads) {
      for (Profile.Phase phase : l.profile("http://127.0.0.1:8080/").phases()) {
        peak = Math.max(peak, Math.max(phase.from(), phase.to()));
      }
    }
    double cores = peak * REQUEST_CPU_MS / 1000.0;
    return Math.max(MIN, Math.min(MAX, (int) Math.ceil(cores / (CPUS * 0.8) - 1e-9)));
  }

  /** Runs the simulator's tuner for HPA's rule on its training traces; the scale: YAML it found. */
  private static String tuneHpa(Duration startup, Path out) throws IOException {
    ServiceSpec web =
        ConfigLoader.parse("tune.yml", yaml("dsbench-tune", 18080, "hpa", 3, null))
            .services()
            .get("web");
    long t0 = System.nanoTime();
    Tuner.Tuned tuned =
        Evaluation.tuneHpa(
            Pipeline.HPA,
            SimulatedService.of(web).withStartup(startup),
            MIN,
            MAX,
            new Comparison(2, SLO, false),
            Tuner.Objective.DEFAULT);
    String scale = tunedScale(tuned.target(), tuned.policy().behavior());
    String found =
        String.format(
            Locale.ROOT,
            "hpa-tuned: the tuner found %s (cost %.0f on the training traces, %.0f s to tune)",
            tuned.settings(),
            tuned.cost(),
            (System.nanoTime() - t0) / 1e9);
    System.out.println(found);
    System.out.flush();
    Files.writeString(out.resolve("hpa-tuned.txt"), found + "\n\nscale:\n" + scale);
    return scale;
  }

  /** HPA's preset with the tuned target, down window, up limits and warm-up, as config. */
  static String tunedScale(double target, Behavior b) {
    StringBuilder s = new StringBuilder();
    s.append("preset: hpa\n");
    s.append(String.format(Locale.ROOT, "cpu: { target: %s, tolerance: 0.1 }%n", num(target)));
    s.append("window: { down: ").append(duration(b.downWindow())).append(" }\n");
    s.append("limits: { up: [");
    List<String> limits = new ArrayList<>();
    for (RateLimit l : b.upLimits().limits()) {
      limits.add(
          (l.percent() ? "{ percent: " : "{ replicas: ")
              + num(l.value())
              + ", period: "
              + duration(l.period())
              + " }");
    }
    s.append(String.join(", ", limits)).append("]");
    if (b.upLimits().limits().size() > 1) {
      s.append(", up-select: ")
          .append(b.upLimits().select() == RateLimits.Select.MAX ? "max" : "min");
    }
    s.append(" }\n");
    s.append("warmup: ").append(duration(b.warmup())).append("\n");
    return s.toString();
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String duration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** The config of one policy's project. */
  static String yaml(String project, int port, String policy, int peakReplicas, String tuned) {
    String interval = policy.startsWith("hpa") ? "15s" : "1s";
    String replicas =
        policy.equals("static-peak")
            ? "{ min: " + peakReplicas + ", max: " + peakReplicas + " }"
            : "{ min: " + MIN + ", max: " + MAX + " }";
    String scale =
        switch (policy) {
          case "static-peak", "classic" -> "preset: classic\n";
          case "hpa" -> "preset: hpa\n";
          case "hpa-tuned" -> tuned;
          case "dockscale" -> "preset: dockscale\n";
          default -> throw new IllegalArgumentException("unknown policy " + policy);
        };
    return """
        project: %s
        interval: %s
        services:
          web:
            image: dockscale/sample-backend:latest
            env: { SERVER_NAME: "{{name}}" }
            resources: { cpus: %s, memory: 256m }
            health: { path: /health }
            replicas: %s
            scale:
        %s
            drain: 2s
            stop-timeout: 2s
        balancer:
          listen: 127.0.0.1:%d
        """
        .formatted(project, interval, num(CPUS), replicas, scale.indent(6).stripTrailing(), port);
  }

  private List<BenchPoliciesReport.Row> runPolicy(
      String policy,
      int peakReplicas,
      String tunedScale,
      List<Load> loads,
      List<Sample> samples,
      Map<String, long[]> windows,
      PrintWriter out)
      throws Exception {
    String project = "dsbench-pol-" + UUID.randomUUID().toString().substring(0, 6);
    int port = Waits.freePort();
    String yaml = yaml(project, port, policy, peakReplicas, tunedScale);
    Files.writeString(outDir.resolve(policy + ".yml"), yaml);
    DockscaleConfig config = ConfigLoader.parse(policy + ".yml", yaml);
    boolean hpaLike = policy.startsWith("hpa");
    UnaryOperator<MetricsSource> pipeline =
        hpaLike
            ? m ->
                new WindowedMetricsSource(m, HPA_PIPELINE, Duration.ofSeconds(1), Clock.systemUTC())
            : UnaryOperator.identity();
    int atRest = config.services().get("web").policy().min();
    List<BenchPoliciesReport.Row> rows = new ArrayList<>();
    out.printf("%s: project %s on 127.0.0.1:%d%n", policy, project, port);
    out.flush();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-policies-sampler");
              t.setDaemon(true);
              return t;
            });
    try (Stack stack = new Stack(config, line -> out.println("notice: " + line), true, pipeline)) {
      stack.prepareImages();
      AtomicReference<ServiceStatus> latest = new AtomicReference<>();
      try (Controller controller = stack.controller(false)) {
        controller.samplingBetweenTicks(!hpaLike);
        controller.onTick(all -> all.forEach(latest::set));
        controller.start();
        Waits.require(
            () -> {
              ServiceStatus s = latest.get();
              return s != null && s.ready() == atRest && s.active() == atRest;
            },
            Duration.ofSeconds(120),
            policy + ": " + atRest + " replica(s) ready");
        // A replica's readings are ignored for the policy's warm-up after it starts (30 s in the
        // hpa and dockscale presets): the load starts on a service at rest, not one still blind.
        Duration warmup = config.services().get("web").policy().behavior().warmup();
        Waits.require(
            () ->
                latest.get().replicas().stream()
                    .filter(r -> r.active())
                    .allMatch(
                        r -> r.startedAt().plus(warmup).plusSeconds(1).isBefore(Instant.now())),
            warmup.plusSeconds(30),
            policy + ": the replicas past their warm-up of " + warmup.toSeconds() + " s");
        sampler.scheduleAtFixedRate(
            () -> sample(stack.docker(), project, samples), 0, 1, TimeUnit.SECONDS);
        String url = "http://127.0.0.1:" + port + "/cpu?ms=" + REQUEST_CPU_MS;
        for (Load load : loads) {
          Gatling g = runGatling(load, url, policy, out);
          windows.put(load.name(), new long[] {g.start, g.end});
          rows.add(row(policy, load.name(), g, samples));
          BenchPoliciesReport.Row last = rows.get(rows.size() - 1);
          out.printf("  %s %s: %s%n", policy, load.name(), last.words());
          out.flush();
        }
      } finally {
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        List<String> removed = stack.down();
        out.printf("  %s: removed %d container(s) and the network%n", policy, removed.size());
        out.flush();
      }
    }
    return rows;
  }

  /** The project's replicas, by label, through the Engine's API. */
  private static void sample(DockerClient docker, String project, List<Sample> samples) {
    try {
      List<Container> containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(
                  Map.of(
                      Labels.PROJECT,
                      project,
                      Labels.SERVICE,
                      "web",
                      Labels.ROLE,
                      Labels.ROLE_REPLICA))
              .exec();
      int alive = 0;
      int serving = 0;
      for (Container c : containers) {
        String state = c.getState() == null ? "" : c.getState();
        if (state.equals("exited") || state.equals("dead")) {
          continue;
        }
        alive++;
        String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
        if (!name.endsWith("-draining")) {
          serving++;
        }
      }
      samples.add(new Sample(System.currentTimeMillis(), alive, serving));
    } catch (RuntimeException e) {
      // a missed sample: the integration spans the gap with the previous one
    }
  }

  private static BenchPoliciesReport.Row row(
      String policy, String profile, Gatling g, List<Sample> samples) {
    double containerSeconds = BenchPoliciesReport.containerSeconds(samples, g.start, g.end);
    int events = BenchPoliciesReport.scaleEvents(samples, g.start, g.end);
    Map<String, String> f = g.figures;
    long requests = Long.parseLong(f.get("requests"));
    return new BenchPoliciesReport.Row(
        policy,
        profile,
        (g.end - g.start) / 1000.0,
        containerSeconds,
        requests,
        Double.parseDouble(f.get("within_slo")),
        Long.parseLong(f.get("p50_ms")),
        Long.parseLong(f.get("p95_ms")),
        Long.parseLong(f.get("p99_ms")),
        Long.parseLong(f.get("ko")),
        events,
        g.report);
  }

  /** One Gatling run: when its load started and ended (ms since the epoch), figures, report. */
  private record Gatling(long start, long end, Map<String, String> figures, String report) {}

  private Gatling runGatling(Load load, String url, String policy, PrintWriter out)
      throws IOException, InterruptedException {
    Path results = outDir.resolve("gatling").resolve(policy + "-" + load.name());
    Path log = outDir.resolve("logs").resolve(policy + "-" + load.name() + ".log");
    Files.createDirectories(results);
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(gatling.toString());
    command.add(load.name());
    command.add(url);
    command.addAll(load.arguments());
    command.add("results=" + results.toAbsolutePath());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    AtomicLong start = new AtomicLong();
    AtomicLong end = new AtomicLong();
    Map<String, String> figures = new LinkedHashMap<>();
    AtomicReference<String> report = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter copy =
                      new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  copy.println(line);
                  // a build's colour codes may lead the line (scripts/gatling-run builds first)
                  line = line.replaceAll("\u001B\\[[0-9;]*m", "");
                  if (line.startsWith("Simulation ") && line.endsWith(" started...")) {
                    start.compareAndSet(0, System.currentTimeMillis());
                  } else if (line.startsWith("Parsing log file")) {
                    end.compareAndSet(0, System.currentTimeMillis());
                  } else if (line.startsWith("report: ")) {
                    report.set(line.substring("report: ".length()).trim());
                  } else if (line.startsWith("figures: ")) {
                    for (String kv : line.substring("figures: ".length()).trim().split(" ")) {
                      int eq = kv.indexOf('=');
                      if (eq > 0) {
                        figures.put(kv.substring(0, eq), kv.substring(eq + 1));
                      }
                    }
                  }
                }
              } catch (IOException e) {
                // the process's output ended with it
              }
            },
            "bench-policies-gatling");
    reader.setDaemon(true);
    reader.start();
    Duration limit = load.profile(url).duration().plusSeconds(180);
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "gatling-run did not end within " + limit.toSeconds() + " s (log: " + log + ")");
    }
    reader.join(10_000);
    if (process.exitValue() != 0 || !figures.containsKey("requests") || start.get() == 0) {
      throw new IllegalStateException(
          "gatling-run failed (exit " + process.exitValue() + "); its output: " + log);
    }
    long ended = end.get() != 0 ? end.get() : System.currentTimeMillis();
    return new Gatling(start.get(), ended, Map.copyOf(figures), report.get());
  }
}
