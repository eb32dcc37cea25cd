package dev.dockscale.cli;

import com.github.dockerjava.api.DockerClient;
import dev.dockscale.balancer.nginx.NginxBalancer;
import dev.dockscale.balancer.nginx.NginxProbe;
import dev.dockscale.balancer.nginx.NginxRequestMetrics;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.DockscaleConfig.MetricsSpec;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.Images;
import dev.dockscale.engine.Balancer;
import dev.dockscale.engine.CombinedMetricsSource;
import dev.dockscale.engine.Controller;
import dev.dockscale.engine.ReplicaRuntime;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.prometheus.AgentsMetricsSource;
import dev.dockscale.prometheus.PromqlMetricsSource;
import dev.dockscale.runtime.docker.CgroupMetricsSource;
import dev.dockscale.runtime.docker.DockerRuntime;
import dev.dockscale.runtime.docker.DockerStatsSource;
import dev.dockscale.runtime.swarm.SwarmRuntime;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The adapters wired to the core for one config: what {@code run}, {@code demo} and {@code down}
 * use.
 */
public final class Stack implements AutoCloseable {

  private final DockscaleConfig config;
  private final Consumer<String> notice;
  private final DockerClient docker;
  private final DockerClient streamsDocker;
  private final Images images;
  private final ReplicaRuntime runtime;
  private final MetricsSource metrics;
  private final NginxRequestMetrics requests;
  private final NginxBalancer balancer;
  private final NginxProbe probe;

  public Stack(DockscaleConfig config, Consumer<String> notice) {
    this(config, notice, true);
  }

  /** With {@code fromCgroups} false, metrics come from the Engine's stats streams only. */
  Stack(DockscaleConfig config, Consumer<String> notice, boolean fromCgroups) {
    this(config, notice, fromCgroups, UnaryOperator.identity());
  }

  /**
   * How the sample backend's image is built: its Dockerfile and jar, which this module's build puts
   * on the classpath at {@code images/sample-backend}.
   */
  static final Images.Recipe SAMPLE_BACKEND =
      new Images.Recipe(
          "dockscale/sample-backend:latest",
          "images/sample-backend",
          List.of("Dockerfile", "app.jar"),
          "eclipse-temurin:17-jre");

  /**
   * With the loop's metrics passed through {@code pipeline} (the policy benchmark emulates HPA's 15
   * s metrics pipeline so: {@link WindowedMetricsSource}).
   */
  Stack(
      DockscaleConfig config,
      Consumer<String> notice,
      boolean fromCgroups,
      UnaryOperator<MetricsSource> pipeline) {
    this.config = config;
    this.notice = notice;
    this.docker = Docker.connect();
    Docker.requireReachable(docker);
    this.images = new Images(docker, notice, List.of(NginxBalancer.IMAGE, SAMPLE_BACKEND));
    this.runtime =
        config.onSwarm()
            ? new SwarmRuntime(docker, images, Clock.systemUTC())
            : new DockerRuntime(docker, images, Clock.systemUTC());
    this.streamsDocker = Docker.connect(Docker.STREAMS);
    MetricsSource containers = containerMetrics(config, fromCgroups, streamsDocker);
    this.balancer = new NginxBalancer(docker, images, config);
    // Request rate, in-flight requests and latency: nginx's request log, through its loopback port.
    this.requests = new NginxRequestMetrics(balancer::probePort, Clock.systemUTC());
    this.metrics =
        pipeline.apply(
            new CombinedMetricsSource(
                List.of(
                    new CombinedMetricsSource.Part(
                        "container", Set.of(Metric.CPU, Metric.MEMORY), containers),
                    new CombinedMetricsSource.Part(
                        "balancer",
                        Set.of(Metric.RPS, Metric.ARRIVALS, Metric.INFLIGHT, Metric.LATENCY),
                        requests))));
    this.probe = new NginxProbe(balancer::probePort);
  }

  /**
   * CPU and memory: from a Prometheus server, or from every node's agent, when the config says so;
   * else straight from the kernel's cgroup files, with the Engine's stats streams for what they
   * cannot see (or the streams alone, for the benchmarks' baseline).
   */
  private static MetricsSource containerMetrics(
      DockscaleConfig config, boolean fromCgroups, DockerClient streamsDocker) {
    MetricsSpec m = config.metrics();
    if (m.fromPrometheus()) {
      return PromqlMetricsSource.forProject(
          m.prometheus(), config.project(), m.window(), m.staleAfter(), Clock.systemUTC());
    }
    if (m.fromAgents()) {
      return AgentsMetricsSource.scraping(m.agents(), m.staleAfter(), Clock.systemUTC());
    }
    DockerStatsSource streams = new DockerStatsSource(streamsDocker, Clock.systemUTC());
    return fromCgroups ? CgroupMetricsSource.forHost(Clock.systemUTC(), streams) : streams;
  }

  public DockerClient docker() {
    return docker;
  }

  public NginxBalancer balancer() {
    return balancer;
  }

  /** Request rate, in-flight requests and latency per service and replica, read at nginx. */
  public NginxRequestMetrics requests() {
    return requests;
  }

  /**
   * Builds or pulls the images the config names before the loop needs them. The balancer's must be
   * there; a service's that cannot be had is reported through {@code notice} and left to the loop,
   * which shows it as that service's problem and tries again, while the other services run.
   */
  public void prepareImages() {
    prepareBalancerImage();
    for (var s : config.services().values()) {
      try {
        images.ensurePresent(s.image());
      } catch (RuntimeException e) {
        notice.accept(s.name() + ": " + e.getMessage());
      }
    }
  }

  /** Builds or pulls the balancer's image: without it nothing serves. */
  public void prepareBalancerImage() {
    images.ensurePresent(config.balancer().image());
  }

  public Controller controller(boolean dryRun) {
    return new Controller(config, runtime, metrics, balancer, probe, Clock.systemUTC(), dryRun);
  }

  /**
   * A controller acting through {@code actions} with {@code balancer} in front of the real one
   * (benchmarks count what it does).
   */
  Controller controller(ExecutorService actions, UnaryOperator<Balancer> balancer) {
    return new Controller(
        config,
        runtime,
        metrics,
        balancer.apply(this.balancer),
        probe,
        Clock.systemUTC(),
        false,
        actions);
  }

  /**
   * Removes every container and the network of the config's project, after it stops reading the
   * balancer's request log.
   */
  public List<String> down() {
    // The request log goes with the balancer: stop reading it first, not warn that it is gone.
    requests.close();
    return runtime.removeProject(config.project(), config.networkName());
  }

  /** For a run that could not start: its loop closed, what the project made removed, closed. */
  void abandon(Controller loop) {
    try {
      if (loop != null) {
        loop.close();
      }
      down();
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    List<AutoCloseable> parts = List.of(probe, metrics, runtime, docker, streamsDocker);
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        // Closing: what one part could not release does not keep the others open.
      }
    }
  }
}
