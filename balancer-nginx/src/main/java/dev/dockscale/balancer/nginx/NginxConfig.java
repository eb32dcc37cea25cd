package dev.dockscale.balancer.nginx;

import dev.dockscale.engine.Balancer.Backend;
import dev.dockscale.engine.Balancer.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders nginx.conf from its template: one upstream per service with its ready replicas, one
 * location per service path. A service with no ready replica answers 503 with a clear body rather
 * than leaving nginx with an empty upstream (which it refuses). Every value that reaches the file
 * is validated here, whatever validated it before.
 */
public final class NginxConfig {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** A replica's name, which goes only into a comment: a container's, or a Swarm task's. */
  private static final Pattern REPLICA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9/_.~-]*");
  private static final String TEMPLATE = loadTemplate();

  /** The container port of the probe gateway (published on 127.0.0.1 only). */
  public static final int PROBE_PORT = 8081;

  /**
   * Where nginx writes its request log, a file per minute: a tmpfs of the balancer's container,
   * {@link #REQUEST_LOG_SIZE} at most, read and emptied by dockscale through the probe port.
   */
  public static final String REQUEST_LOG_DIR = "/run/dockscale/requests";

  /**
   * The tmpfs's bound: about 2 million requests, minutes of traffic dockscale deletes once read.
   */
  public static final String REQUEST_LOG_SIZE = "128m";

  /** {@link #REQUEST_LOG_SIZE} in bytes. */
  public static final long REQUEST_LOG_BYTES = 128L << 20;

  private NginxConfig() {}

  public static String render(String project, List<Route> routes) {
    requireName("project", project);
    StringBuilder upstreams = new StringBuilder();
    StringBuilder locations = new StringBuilder();
    List<Route> byLongestPath =
        routes.stream()
            .sorted(Comparator.comparing((Route r) -> r.path().length()).reversed())
            .toList();
    for (Route route : byLongestPath) {
      requireName("service", route.service());
      if (!URL_PATH.matcher(route.path()).matches()) {
        throw new IllegalArgumentException(
            "path of " + route.service() + " is not a URL path: " + route.path());
      }
      String upstream = "dockscale_" + route.service().replace('-', '_');
      locations.append("    location ").append(route.path()).append(" {\n");
      locations.append("      set $dockscale_service \"").append(route.service()).append("\";\n");
      locations
          .append("      access_log ")
          .append(REQUEST_LOG_DIR)
          .append("/$dockscale_minute.log dockscale_requests;\n");
      if (route.backends().isEmpty()) {
        locations.append("      default_type text/plain;\n");
        locations
            .append("      return 503 \"no ready replica of ")
            .append(route.service())
            .append(" yet\\n\";\n");
      } else {
        upstreams.append("  upstream ").append(upstream).append(" {\n");
        upstreams.append("    least_conn;\n");
        for (Backend b : route.backends()) {
          if (b.name() == null || !REPLICA.matcher(b.name()).matches()) {
            throw new IllegalArgumentException(
                "replica name '"
                    + b.name()
                    + "' cannot go into nginx config: use up to 128 letters, digits, '_', '.' and '-'");
          }
          requireAddress(b.address());
          if (b.port() < 1 || b.port() > 65535) {
            throw new IllegalArgumentException(
                "port of " + b.name() + " must be from 1 to 65535, got " + b.port());
          }
          upstreams
              .append("    server ")
              .append(b.address())
              .append(':')
              .append(b.port())
              .append(" max_fails=1 fail_timeout=2s;  # ")
              .append(b.name())
              .append('\n');
        }
        upstreams.append("    keepalive 32;\n");
        upstreams.append("  }\n\n");
        locations.append("      proxy_pass http://").append(upstream).append(";\n");
      }
      locations.append("    }\n");
    }
    return TEMPLATE
        .replace("{{probe_port}}", Integer.toString(PROBE_PORT))
        .replace("{{project}}", project)
        .replace("{{request_log_dir}}", REQUEST_LOG_DIR)
        .replace("{{upstreams}}\n", upstreams.toString())
        .replace("{{locations}}\n", locations.toString());
  }

  private static void requireName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " name '"
              + name
              + "' cannot go into nginx config: use lower-case letters, digits and '-'");
    }
  }

  static void requireAddress(String address) {
    var m = IPV4.matcher(address == null ? "" : address);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
      }
    }
  }

  private static String loadTemplate() {
    try (InputStream in = NginxConfig.class.getResourceAsStream("nginx.conf.template")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
