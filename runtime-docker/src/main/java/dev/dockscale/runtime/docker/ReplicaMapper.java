package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.Replica;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Reads a {@link Replica} off a container's inspect answer. */
final class ReplicaMapper {

  static final String DRAINING_SUFFIX = "-draining";

  /** A warm-pool replica's name ends so until it is promoted (renamed) into service. */
  static final String WARM_SUFFIX = "-warm";

  private ReplicaMapper() {}

  static Replica replica(InspectContainerResponse c, String network) {
    String name = c.getName().startsWith("/") ? c.getName().substring(1) : c.getName();
    Map<String, String> labels =
        c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels();
    var state = c.getState();
    Replica.State s = state(state.getStatus(), Boolean.TRUE.equals(state.getPaused()));
    String address = "";
    var networks = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
    if (networks != null) {
      ContainerNetwork n = networks.get(network);
      if (n != null && n.getIpAddress() != null) {
        address = n.getIpAddress();
      }
    }
    Instant created = parseTime(c.getCreated()).orElse(Instant.EPOCH);
    Instant started = parseTime(state.getStartedAt()).orElse(created);
    Long exitCode = state.getExitCodeLong();
    Replica.Exit exit =
        new Replica.Exit(
            exitCode == null ? 0 : exitCode.intValue(),
            Boolean.TRUE.equals(state.getOOMKilled()),
            state.getError());
    return new Replica(
        c.getId(),
        name,
        labels.getOrDefault(Labels.SERVICE, ""),
        parseIndex(labels.get(Labels.INDEX)),
        s,
        Replica.Readiness.UNKNOWN,
        address,
        created,
        started,
        name.endsWith(DRAINING_SUFFIX),
        name.endsWith(WARM_SUFFIX),
        labels.get(Labels.TEMPLATE),
        labels.get(Labels.REPLACES),
        "true".equals(labels.get(Labels.PROTECT)),
        c.getRestartCount() == null ? 0 : c.getRestartCount(),
        s == Replica.State.EXITED || s == Replica.State.RESTARTING ? exit : Replica.Exit.NONE);
  }

  static Replica.State state(String status, boolean paused) {
    if (paused) {
      return Replica.State.PAUSED;
    }
    return switch (status == null ? "" : status) {
      case "created" -> Replica.State.CREATED;
      case "running" -> Replica.State.RUNNING;
      case "restarting" -> Replica.State.RESTARTING;
      case "paused" -> Replica.State.PAUSED;
      default -> Replica.State.EXITED;
    };
  }

  private static int parseIndex(String label) {
    try {
      return label == null ? 0 : Integer.parseInt(label);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Instant> parseTime(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
