package dev.dockscale.balancer.nginx;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.docker.ContainerExec;
import dev.dockscale.docker.Docker;
import dev.dockscale.docker.ImageSupply;
import dev.dockscale.docker.Images;
import dev.dockscale.engine.Balancer;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Balancer} on nginx in a container of the project's network, published on the configured
 * host address. A new config is written beside the live one, checked with {@code nginx -t} and
 * moved into place, all in one exec (the config travels in its arguments: copying it in first
 * through the Engine's archive API cost as much again), then loaded with SIGHUP: nginx's graceful
 * reload, in which old workers finish the requests they hold. A config that fails the check is
 * reported and the previous one stays.
 */
public final class NginxBalancer implements Balancer {

  private static final Logger LOG = LoggerFactory.getLogger(NginxBalancer.class);
  static final String CONF = "/etc/nginx/nginx.conf";
  static final String NEXT = "/etc/nginx/nginx.conf.next";

  private final DockerClient docker;
  private final ImageSupply images;
  private final DockscaleConfig config;

  /**
   * Containers of another layout (an older dockscale's, without the probe port or the request log's
   * tmpfs) are re-created.
   */
  static final String LAYOUT_LABEL = "dockscale.balancer-layout";

  static final String LAYOUT = "3";

  /**
   * How the balancer's image ({@code balancer.image}'s default) is built: this module's {@code
   * image/} folder, on the classpath at {@code images/nginx}.
   */
  public static final Images.Recipe IMAGE =
      new Images.Recipe(
          "dockscale/nginx:latest",
          "images/nginx",
          List.of("Dockerfile", "nginx.conf"),
          "nginx:stable");

  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);

  /** {@link #WRITE_CHECK_AND_SWAP}'s exit code when the config could not be written or moved. */
  static final int COULD_NOT_WRITE = 97;

  /**
   * Writes its arguments, one after another, to {@link #NEXT}, checks it and moves it into place.
   * Only {@code nginx -t}'s own failure means the config was rejected; a write or move that failed
   * exits with {@link #COULD_NOT_WRITE}, which is tried again on the next pass.
   */
  static final String WRITE_CHECK_AND_SWAP =
      "for part in \"$@\"; do printf '%s' \"$part\" || exit "
          + COULD_NOT_WRITE
          + "; done > "
          + NEXT
          + " || exit "
          + COULD_NOT_WRITE
          + "; nginx -t -q -c "
          + NEXT
          + " || exit 1; mv -f "
          + NEXT
          + " "
          + CONF
          + " || exit "
          + COULD_NOT_WRITE;

  /**
   * Characters of the config per argument: Linux takes at most 128 KiB in one argument, and a
   * character is at most 4 bytes.
   */
  static final int PART = 32 * 1024;

  private String containerId;
  private volatile int probePort;
  private volatile long lastLookup;
  private String applied;
  private String rejected;

  public NginxBalancer(DockerClient docker, ImageSupply images, DockscaleConfig config) {
    this.docker = docker;
    this.images = images;
    this.config = config;
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new HashMap<>(Labels.project(config.project()));
    labels.put(Labels.ROLE, Labels.ROLE_BALANCER);
    return labels;
  }

  // The balancer found running is trusted for Docker.TRUSTED without looking again (a list and an
  // inspect at every 1 s pass would cost dockerd more than the replicas' own watching), as long as
  // the look began at least Docker.SETTLE after the project's last event.
  private volatile long lastEvent = System.nanoTime();

  /** Whether the last look found the balancer, and when it began. */
  private boolean found;

  private long checkedAt;

  @Override
  public void lookAgain() {
    lastEvent = System.nanoTime();
  }

  @Override
  public synchronized void ensureRunning() {
    long now = System.nanoTime();
    boolean trusted =
        containerId != null
            && found
            && checkedAt - (lastEvent + Docker.SETTLE.toNanos()) >= 0
            && now - checkedAt < Docker.TRUSTED.toNanos();
    if (trusted) {
      return;
    }
    found = false;
    check();
    found = true;
    checkedAt = now;
  }

  private void check() {
    Optional<Container> existing =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(labels()).exec().stream()
            .findFirst();
    if (existing.isPresent()) {
      Container c = existing.get();
      String listen = c.getLabels().get(Labels.LISTEN);
      if (config.balancer().listen().equals(listen)
          && config.balancer().image().equals(c.getImage())
          && LAYOUT.equals(c.getLabels().get(LAYOUT_LABEL))) {
        if (!"running".equals(c.getState())) {
          lookAgain();
          LOG.info("starting balancer {} ({})", config.balancerName(), c.getState());
          try {
            start(c.getId());
          } catch (NotModifiedException alreadyRunning) {
            // Started meanwhile.
          }
        }
        adopt(c.getId());
        return;
      }
      LOG.info(
          "re-creating balancer {}: it listens on {} with {} (layout {}), config says {} with {} (layout {})",
          config.balancerName(),
          listen,
          c.getImage(),
          c.getLabels().get(LAYOUT_LABEL),
          config.balancer().listen(),
          config.balancer().image(),
          LAYOUT);
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }
    images.ensurePresent(config.balancer().image());
    Map<String, String> labels = labels();
    labels.put(Labels.LISTEN, config.balancer().listen());
    labels.put(LAYOUT_LABEL, LAYOUT);
    ExposedPort http = ExposedPort.tcp(80);
    ExposedPort probes = ExposedPort.tcp(NginxConfig.PROBE_PORT);
    Ports ports = new Ports();
    ports.bind(
        http, Ports.Binding.bindIpAndPort(config.balancer().host(), config.balancer().port()));
    // The probe gateway: loopback only, on a port the engine picks.
    ports.bind(probes, Ports.Binding.bindIp("127.0.0.1"));
    String id =
        docker
            .createContainerCmd(config.balancer().image())
            .withName(config.balancerName())
            .withLabels(labels)
            .withExposedPorts(http, probes)
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode(config.networkName())
                    .withPortBindings(ports)
                    // The request log: bounded, in memory, and gone with the container.
                    .withTmpFs(
                        Map.of(
                            NginxConfig.REQUEST_LOG_DIR,
                            "size=" + NginxConfig.REQUEST_LOG_SIZE + ",mode=1777"))
                    .withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
            .exec()
            .getId();
    start(id);
    LOG.info("started balancer {} on {}", config.balancerName(), config.balancer().listen());
    adopt(id);
  }

  /** Starts the balancer; a port that is taken is named, with the fix. */
  private void start(String id) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (com.github.dockerjava.api.exception.DockerException e) {
      throw new RuntimeUnavailableException(
          "cannot publish the balancer on "
              + config.balancer().listen()
              + " ("
              + String.valueOf(e.getMessage()).trim()
              + "); free that port or set balancer.listen to another address",
          e);
    }
  }

  private void adopt(String id) {
    if (!id.equals(containerId)) {
      containerId = id;
      applied = null;
      rejected = null;
    }
    probePort = publishedProbePort(id);
  }

  /** The host port (on 127.0.0.1) of the probe gateway, 0 when it is not published. */
  private int publishedProbePort(String id) {
    var settings = docker.inspectContainerCmd(id).exec().getNetworkSettings();
    if (settings == null || settings.getPorts() == null) {
      return 0;
    }
    Ports.Binding[] bindings =
        settings.getPorts().getBindings().get(ExposedPort.tcp(NginxConfig.PROBE_PORT));
    if (bindings == null || bindings.length == 0 || bindings[0].getHostPortSpec() == null) {
      return 0;
    }
    return Integer.parseInt(bindings[0].getHostPortSpec());
  }

  /**
   * Where readiness probes go: {@code http://127.0.0.1:port}, or 0 while there is no balancer. A
   * balancer this object did not start or adopt (a dry run creates nothing) is looked up, read
   * only, at most once a second.
   */
  public int probePort() {
    int port = probePort;
    long now = System.nanoTime();
    if (port == 0 && now - lastLookup > 1_000_000_000L) {
      lastLookup = now;
      try {
        port =
            docker.listContainersCmd().withLabelFilter(labels()).exec().stream()
                .findFirst()
                .map(c -> publishedProbePort(c.getId()))
                .orElse(0);
        probePort = port;
      } catch (RuntimeException e) {
        LOG.debug("cannot look up the balancer's probe port: {}", e.toString());
      }
    }
    return port;
  }

  @Override
  public synchronized Outcome apply(List<Route> routes) {
    return applyConfig(NginxConfig.render(config.project(), routes), summary(routes));
  }

  /**
   * Puts {@code rendered} in force if nginx accepts it; the previous config stays otherwise. A
   * check or reload that cannot be run (timeout, balancer gone) throws and is tried again on the
   * next pass; only a config that {@code nginx -t} really refused is remembered as rejected.
   */
  synchronized Outcome applyConfig(String rendered, String summary) {
    if (containerId == null) {
      ensureRunning();
    }
    try {
      if (applied == null) {
        ContainerExec.Result current = exec("cat", CONF);
        applied = current.ok() ? current.stdout() : "";
      }
      if (rendered.equals(applied)) {
        return Outcome.UNCHANGED;
      }
      if (rendered.equals(rejected)) {
        return Outcome.REJECTED;
      }
      ContainerExec.Result check = exec(writeCheckAndSwap(rendered));
      if (couldNotRun(check.exitCode())) {
        throw new ContainerExec.ExecFailedException(
            "the new config could not be written in the balancer (exit "
                + check.exitCode()
                + "): "
                + check.output()
                + "; tried again on the next pass",
            null);
      }
      if (!check.ok()) {
        rejected = rendered;
        LOG.error(
            "nginx rejected the new config, the previous one stays in force: {}", check.output());
        return Outcome.REJECTED;
      }
      docker.killContainerCmd(containerId).withSignal("HUP").exec();
    } catch (NotFoundException gone) {
      containerId = null;
      throw new RuntimeUnavailableException(
          "the balancer " + config.balancerName() + " is gone; it is re-created next pass", gone);
    }
    applied = rendered;
    rejected = null;
    LOG.info("balancer reloaded: {}", summary);
    return Outcome.RELOADED;
  }

  static String summary(List<Route> routes) {
    StringBuilder b = new StringBuilder();
    for (Route r : routes) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(r.service()).append(' ').append(r.path()).append(" -> ");
      b.append(
          r.backends().isEmpty()
              ? "(none ready: 503)"
              : String.join(", ", r.backends().stream().map(Backend::name).toList()));
    }
    return b.toString();
  }

  /** The config nginx has now, as read from its container. */
  public synchronized String currentConfig() {
    return exec("cat", CONF).stdout();
  }

  private ContainerExec.Result exec(String... command) {
    return ContainerExec.run(docker, containerId, EXEC_TIMEOUT, command);
  }

  /**
   * Whether {@link #WRITE_CHECK_AND_SWAP} never got to judge the config: it could not write it, or
   * the shell could not be started (126, 127).
   */
  static boolean couldNotRun(int exitCode) {
    return exitCode == COULD_NOT_WRITE || exitCode == 126 || exitCode == 127;
  }

  /**
   * The command that puts {@code config} in place if nginx accepts it. The config is in its
   * arguments, so the Engine shows it in its {@code exec_create} events and {@code ps} on the host
   * shows it while the command runs: it holds the replicas' addresses and names, nothing secret.
   * Through the exec's stdin it would not be (docker-java's client never closes an exec's stdin, so
   * the command would not end).
   */
  static String[] writeCheckAndSwap(String config) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", WRITE_CHECK_AND_SWAP, "sh"));
    int at = 0;
    while (at < config.length()) {
      int end = Math.min(config.length(), at + PART);
      if (end < config.length() && Character.isHighSurrogate(config.charAt(end - 1))) {
        end--; // never split a character in two
      }
      command.add(config.substring(at, end));
      at = end;
    }
    return command.toArray(String[]::new);
  }
}
