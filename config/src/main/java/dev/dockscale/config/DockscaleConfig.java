package dev.dockscale.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A whole {@code dockscale.yml}, validated.
 *
 * @param project prefix of every name dockscale gives (containers, network) and label {@code
 *     dockscale.project}; two projects on one host stay apart
 * @param interval how often each service is observed and decided on
 * @param services the scaled services, by name, in file order
 * @param balancer the nginx load balancer in front of them
 */
public record DockscaleConfig(
    String project, Duration interval, Map<String, ServiceSpec> services, BalancerSpec balancer) {

  public DockscaleConfig {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(interval, "interval");
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    Objects.requireNonNull(balancer, "balancer");
  }

  /**
   * The load balancer: where it is published on the host, and its image (nginx, from the official
   * image or the local base).
   */
  public record BalancerSpec(String host, int port, String image) {

    private static final Pattern IPV4 =
        Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * The balancer published at {@code listen}: an IPv4 address or {@code localhost} (which is
     * 127.0.0.1), a colon and a port.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write
     */
    public static BalancerSpec of(String listen, String image) {
      int colon = listen.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "'" + listen + "' is not host:port: write e.g. 127.0.0.1:8080");
      }
      String host = listen.substring(0, colon);
      if (!host.equals("localhost") && !IPV4.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "host '"
                + host
                + "' must be an IPv4 address or localhost, e.g. 127.0.0.1 (0.0.0.0 publishes on every interface)");
      }
      String portText = listen.substring(colon + 1);
      if (!portText.matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException(
            "port '" + portText + "' is not a number: write e.g. 127.0.0.1:8080");
      }
      int port = Integer.parseInt(portText);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
      }
      return new BalancerSpec(host.equals("localhost") ? "127.0.0.1" : host, port, image);
    }

    public String listen() {
      return host + ":" + port;
    }
  }

  /** This config with {@code balancer} in place of its own. */
  public DockscaleConfig withBalancer(BalancerSpec balancer) {
    return new DockscaleConfig(project, interval, services, balancer);
  }

  /** This config with {@code service} in place of the service of the same name. */
  public DockscaleConfig withService(ServiceSpec service) {
    if (!services.containsKey(service.name())) {
      throw new IllegalArgumentException(
          "no service '" + service.name() + "'; the services are " + services.keySet());
    }
    Map<String, ServiceSpec> replaced = new LinkedHashMap<>(services);
    replaced.put(service.name(), service);
    return new DockscaleConfig(project, interval, replaced, balancer);
  }

  public String networkName() {
    return project + "-net";
  }

  public String balancerName() {
    return project + "-lb";
  }
}
