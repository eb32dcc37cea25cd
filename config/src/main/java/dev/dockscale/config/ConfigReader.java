package dev.dockscale.config;

import dev.dockscale.config.DockscaleConfig.BalancerSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The top level of {@code dockscale.yml}: project, interval, the services and the balancer. */
final class ConfigReader {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");

  private static final String DEFAULT_BALANCER_IMAGE = "dockscale/nginx:latest";
  private static final String DEFAULT_LISTEN = "127.0.0.1:8080";

  private ConfigReader() {}

  static DockscaleConfig read(Node top) {
    top.allow(key -> key.startsWith("x-"), "project", "interval", "services", "balancer");
    String project = top.string("project", "dockscale");
    if (!NAME.matcher(project).matches()) {
      top.child("project")
          .problem(
              "'"
                  + project
                  + "' is not a valid project name: use 1-31 lower-case letters, digits and '-', starting with a letter or digit");
    }
    Duration interval =
        top.duration(
            "interval", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1));
    return new DockscaleConfig(project, interval, services(top.child("services")), balancer(top));
  }

  private static Map<String, ServiceSpec> services(Node services) {
    Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    if (services.missing() || !services.isMap() || services.keys().isEmpty()) {
      services.problem(
          "at least one service is required, e.g.\n    services:\n      web:\n        image: dockscale/sample-backend:latest\n        replicas: { min: 1, max: 4 }");
      return specs;
    }
    Set<String> paths = new HashSet<>();
    for (String name : services.keys()) {
      Node s = services.child(name);
      if (!NAME.matcher(name).matches()) {
        s.problem(
            "'"
                + name
                + "' is not a valid service name: use 1-31 lower-case letters, digits and '-'");
      }
      ServiceSpec spec = ServiceReader.read(name, s);
      if (spec != null) {
        if (!paths.add(spec.path())) {
          s.child("path")
              .problem(
                  "path "
                      + spec.path()
                      + " is already routed to another service; give each service its own path");
        }
        specs.put(name, spec);
      }
    }
    return specs;
  }

  private static BalancerSpec balancer(Node top) {
    Node b = top.child("balancer");
    b.allow("listen", "image");
    String image = b.string("image", DEFAULT_BALANCER_IMAGE);
    ServiceReader.checkImage(b.child("image"), image);
    try {
      return BalancerSpec.of(b.string("listen", DEFAULT_LISTEN), image);
    } catch (IllegalArgumentException e) {
      b.child("listen").problem(e.getMessage());
      return BalancerSpec.of(DEFAULT_LISTEN, image);
    }
  }
}
