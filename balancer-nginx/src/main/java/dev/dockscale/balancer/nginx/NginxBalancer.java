package dev.dockscale.balancer.nginx;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Balancer;
import dev.dockscale.engine.Labels;
import dev.dockscale.runtime.docker.Images;
import dev.dockscale.runtime.docker.RuntimeUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Balancer} on nginx in a container of the project's network, published on the configured
 * host address. A new config is copied in beside the live one, checked with {@code nginx -t}, moved
 * into place and loaded with SIGHUP: nginx's graceful reload, in which old workers finish the
 * requests they hold. A config that fails the check is reported and the previous one stays.
 */
public final class NginxBalancer implements Balancer {

  private static final Logger LOG = LoggerFactory.getLogger(NginxBalancer.class);
  static final String CONF = "/etc/nginx/nginx.conf";
  static final String NEXT = "/etc/nginx/nginx.conf.next";

  private final DockerClient docker;
  private final Images images;
  private final DockscaleConfig config;
  private String containerId;
  private String applied;
  private String rejected;

  public NginxBalancer(DockerClient docker, Images images, DockscaleConfig config) {
    this.docker = docker;
    this.images = images;
    this.config = config;
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new HashMap<>(Labels.project(config.project()));
    labels.put(Labels.ROLE, Labels.ROLE_BALANCER);
    return labels;
  }

  @Override
  public synchronized void ensureRunning() {
    Optional<Container> existing =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(labels()).exec().stream()
            .findFirst();
    if (existing.isPresent()) {
      Container c = existing.get();
      String listen = c.getLabels().get(Labels.LISTEN);
      if (config.balancer().listen().equals(listen)
          && config.balancer().image().equals(c.getImage())) {
        if (!"running".equals(c.getState())) {
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
          "re-creating balancer {}: it listens on {} with {}, config says {} with {}",
          config.balancerName(),
          listen,
          c.getImage(),
          config.balancer().listen(),
          config.balancer().image());
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }
    images.ensurePresent(config.balancer().image());
    Map<String, String> labels = labels();
    labels.put(Labels.LISTEN, config.balancer().listen());
    ExposedPort http = ExposedPort.tcp(80);
    Ports ports = new Ports();
    ports.bind(
        http, Ports.Binding.bindIpAndPort(config.balancer().host(), config.balancer().port()));
    String id =
        docker
            .createContainerCmd(config.balancer().image())
            .withName(config.balancerName())
            .withLabels(labels)
            .withExposedPorts(http)
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode(config.networkName())
                    .withPortBindings(ports)
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
              + e.getMessage().trim()
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
  }

  @Override
  public synchronized Outcome apply(List<Route> routes) {
    return applyConfig(NginxConfig.render(config.project(), routes), summary(routes));
  }

  /** Puts {@code rendered} in force if nginx accepts it; the previous config stays otherwise. */
  synchronized Outcome applyConfig(String rendered, String summary) {
    if (containerId == null) {
      ensureRunning();
    }
    if (applied == null) {
      Exec current = exec("cat", CONF);
      applied = current.exitCode() == 0 ? current.output() : "";
    }
    if (rendered.equals(applied)) {
      return Outcome.UNCHANGED;
    }
    if (rendered.equals(rejected)) {
      return Outcome.REJECTED;
    }
    copy(rendered);
    Exec check = exec("sh", "-c", "nginx -t -q -c " + NEXT + " && mv -f " + NEXT + " " + CONF);
    if (check.exitCode() != 0) {
      rejected = rendered;
      LOG.error(
          "nginx rejected the new config, the previous one stays in force: {}",
          check.output().trim());
      return Outcome.REJECTED;
    }
    docker.killContainerCmd(containerId).withSignal("HUP").exec();
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
    return exec("cat", CONF).output();
  }

  private void copy(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry entry = new TarArchiveEntry(NEXT.substring(NEXT.lastIndexOf('/') + 1));
      entry.setSize(bytes.length);
      entry.setMode(0644);
      out.putArchiveEntry(entry);
      out.write(bytes);
      out.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    docker
        .copyArchiveToContainerCmd(containerId)
        .withRemotePath(NEXT.substring(0, NEXT.lastIndexOf('/')))
        .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
        .exec();
  }

  record Exec(int exitCode, String output) {}

  private Exec exec(String... command) {
    try {
      String execId =
          docker
              .execCreateCmd(containerId)
              .withCmd(command)
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      docker
          .execStartCmd(execId)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  output.writeBytes(frame.getPayload());
                }
              })
          .awaitCompletion(30, TimeUnit.SECONDS);
      Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
      return new Exec(code == null ? -1 : code.intValue(), output.toString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exec(-1, "interrupted");
    } catch (NotFoundException e) {
      containerId = null;
      throw e;
    }
  }
}
