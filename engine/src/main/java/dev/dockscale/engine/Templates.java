package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Turns a service's config into what the runtime creates a replica from. */
final class Templates {

  private Templates() {}

  /**
   * The hash of everything a replica is created with (image, environment, limits): replicas with
   * another hash are rolled. The port, path, health and policy change nothing in a container.
   */
  static String hash(ServiceSpec spec) {
    String text =
        spec.image()
            + "\n"
            + new TreeMap<>(spec.env())
            + "\n"
            + spec.resources().cpus()
            + "\n"
            + spec.resources().memoryBytes()
            + "\n"
            + spec.resources().cpuset();
    return hash(text);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static ReplicaSpec replica(
      String project, String network, ServiceSpec spec, int index, String replaces, boolean warm) {
    String name = ReplicaSpec.nameOf(project, spec.name(), index);
    return new ReplicaSpec(
        project,
        network,
        spec.name(),
        index,
        spec.image(),
        spec.envFor(name, index),
        spec.resources().cpus(),
        spec.resources().startupCpus(),
        spec.resources().memoryBytes(),
        spec.resources().cpuset(),
        hash(spec),
        replaces,
        warm);
  }

  /**
   * A scheduling runtime's service: {@code {{name}}} and {@code {{index}}} in the environment
   * become the runtime's task name and slot ({@code {{.Task.Name}}}, {@code {{.Task.Slot}}}).
   */
  static ServiceTemplate service(String project, String network, ServiceSpec spec) {
    Map<String, String> env = new TreeMap<>();
    spec.env()
        .forEach(
            (key, value) ->
                env.put(
                    key,
                    value
                        .replace("{{name}}", "{{.Task.Name}}")
                        .replace("{{service}}", spec.name())
                        .replace("{{index}}", "{{.Task.Slot}}")));
    Duration grace = spec.drain().plus(spec.stopTimeout());
    return new ServiceTemplate(
        project,
        network,
        spec.name(),
        spec.image(),
        env,
        spec.resources().cpus(),
        spec.resources().memoryBytes(),
        spec.placement(),
        grace,
        hash(spec) + "-" + hash(String.join("\n", spec.placement()) + "\n" + grace));
  }

  static Prober.ProbeSpec probe(ServiceSpec spec, Replica r) {
    var h = spec.health();
    return new Prober.ProbeSpec(
        new ReadinessProbe.Target(r.name(), spec.port(), h.path(), h.tcp(), h.timeout()),
        h.retries(),
        h.interval());
  }
}
