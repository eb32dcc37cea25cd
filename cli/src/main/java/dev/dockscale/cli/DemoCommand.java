package dev.dockscale.cli;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.DockscaleConfig.BalancerSpec;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.ServiceStatus;
import dev.dockscale.loadtest.LoadGenerator;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.Durations;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScalingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description = {
      "Builds what is missing, starts the balancer, the sample backend and the loop, drives a bounded load",
      "ramp at the balancer on 127.0.0.1 (about a minute), then quiet, printing a line per interval;",
      "removes everything at the end or on Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:8080",
      description = "where the balancer is published (default: ${DEFAULT-VALUE})")
  String listen;

  @Option(
      names = "--load",
      defaultValue = "60s",
      description = "how long the load lasts (default: ${DEFAULT-VALUE})")
  String load;

  @Option(
      names = "--users",
      defaultValue = "12",
      description = "virtual users at the top of the ramp (default: ${DEFAULT-VALUE})")
  int users;

  @Option(
      names = "--preset",
      defaultValue = "classic",
      description =
          "the policy: classic (the original scripts' thresholds), hpa or dockscale (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(
      names = "--quiet-max",
      defaultValue = "120s",
      description = "longest wait after the load for the return to min (default: ${DEFAULT-VALUE})")
  String quietMax;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Preset chosen = preset();
    DockscaleConfig config = option("--listen", () -> config(listen, chosen));
    Duration loadFor = option("--load", () -> Durations.parse(load));
    Duration quiet = option("--quiet-max", () -> Durations.parse(quietMax));
    if (users < 1) {
      throw new ParameterException(spec.commandLine(), "--users must be at least 1, got " + users);
    }
    int min = config.services().get("web").policy().min();

    try (Stack stack = new Stack(config, line -> out.println("notice: " + line))) {
      out.println("building images when missing (the first time takes a minute or two) ...");
      out.flush();
      stack.prepareImages();

      AtomicReference<ServiceStatus> latest = new AtomicReference<>();
      AtomicReference<Decision> lastChange = new AtomicReference<>();
      Controller controller = stack.controller(false);
      // On Ctrl-C: stop the loop first (so it re-creates nothing), then remove everything.
      Thread cleanup =
          new Thread(
              () -> {
                controller.close();
                out.println("cleaning up: " + String.join(", ", stack.down()));
                out.flush();
              });
      Runtime.getRuntime().addShutdownHook(cleanup);
      try (controller) {
        controller.onTick(
            statuses -> {
              ServiceStatus s = statuses.get(0);
              latest.set(s);
              if (s.decision().changes() || s.decision().desired() != s.decision().current()) {
                lastChange.set(s.decision());
              }
            });
        controller.start();
        URI base = URI.create("http://" + config.balancer().listen() + "/");
        out.println(
            "waiting for the first replica behind http://" + config.balancer().listen() + "/ ...");
        out.flush();
        if (!Waits.until(
            () -> latest.get() != null && latest.get().ready() >= 1 && Http.ok(base),
            Duration.ofSeconds(120),
            Duration.ofMillis(250))) {
          out.println(
              "the first replica did not become ready within 120 s; see dockscale-demo.log");
          return 2;
        }
        long start = System.nanoTime();
        long rampMs = Math.max(1, loadFor.toMillis() * 2 / 3);
        URI cpu = URI.create("http://" + config.balancer().listen() + "/cpu?ms=40");
        try (LoadGenerator gen =
            new LoadGenerator(
                    cpu,
                    users,
                    () -> {
                      long ms = (System.nanoTime() - start) / 1_000_000;
                      if (ms >= loadFor.toMillis()) {
                        return 0;
                      }
                      return (int) Math.max(1, Math.min(users, 1 + (users - 1) * ms / rampMs));
                    },
                    loadFor.plus(quiet),
                    5_000_000)
                .start()) {
          out.printf("load: up to %d users on %s for %s, then quiet%n", users, cpu, load);
          out.println(
              "  time  phase  replicas(ready)   cpu%  mem%    served  failed  last decision");
          long quietSince = -1;
          while (true) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean loading = ms < loadFor.toMillis();
            ServiceStatus s = latest.get();
            print(out, ms, loading, s, gen, lastChange.get());
            if (!loading) {
              quietSince = quietSince < 0 ? ms : quietSince;
              if ((s.active() <= min && s.replicas().size() == s.active())
                  || ms - quietSince > quiet.toMillis()) {
                break;
              }
            }
            Thread.sleep(config.interval().toMillis());
          }
          out.printf(
              "done: %d requests served, %d failed %s, %d sent once more (closed unanswered as nginx"
                  + " reloaded), answered by %s%n",
              gen.ok(), gen.failed(), gen.failures(), gen.resent(), gen.byServer());
        }
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
      out.println("removed: " + String.join(", ", stack.down()));
    }
    return 0;
  }

  private static void print(
      PrintWriter out,
      long ms,
      boolean loading,
      ServiceStatus s,
      LoadGenerator gen,
      Decision last) {
    String cpu = average(s, Metric.CPU);
    String mem = average(s, Metric.MEMORY);
    String decision =
        last == null
            ? "-"
            : last.action().key()
                + " "
                + last.current()
                + "->"
                + last.desired()
                + ": "
                + last.reason();
    if (decision.length() > 90) {
      decision = decision.substring(0, 87) + "...";
    }
    out.printf(
        "%5.0fs  %-5s  %4d(%d)%10s %5s %5s %9d %7d  %s%n",
        ms / 1000.0,
        loading ? "load" : "quiet",
        s.active(),
        s.ready(),
        "",
        cpu,
        mem,
        gen.ok(),
        gen.failed(),
        decision);
    out.flush();
  }

  private static String average(ServiceStatus s, Metric metric) {
    List<ReplicaView> inputs = s.decision().inputs();
    OptionalDouble avg =
        inputs.stream()
            .filter(r -> r.readings().containsKey(metric))
            .mapToDouble(r -> r.readings().get(metric))
            .average();
    return avg.isPresent() ? String.format("%.0f", avg.getAsDouble()) : "-";
  }

  /**
   * The demo's config: {@code demo.yml} (the sample backend under classic's thresholds) published
   * on {@code listen}, and under {@code preset}'s own rules and behaviour when it is not classic.
   *
   * @throws IllegalArgumentException when {@code listen} is not host:port
   */
  static DockscaleConfig config(String listen, Preset preset) {
    DockscaleConfig demo = ConfigLoader.parse("demo.yml", demoYaml());
    ServiceSpec web = demo.services().get("web");
    if (preset != Preset.CLASSIC) {
      web = web.withPolicy(ScalingPolicy.of(preset, web.policy().min(), web.policy().max()));
    }
    return demo.withService(web).withBalancer(BalancerSpec.of(listen, demo.balancer().image()));
  }

  private Preset preset() {
    return Preset.byKey(preset)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "--preset: unknown preset '" + preset + "': use one of " + Preset.keys()));
  }

  /** The value {@code read} makes of an option, or a usage error naming the option. */
  private <T> T option(String name, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), name + ": " + e.getMessage());
    }
  }

  static String demoYaml() {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo.yml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
