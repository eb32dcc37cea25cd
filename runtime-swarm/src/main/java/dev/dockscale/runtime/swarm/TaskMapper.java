package dev.dockscale.runtime.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.engine.Replica;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@link Replica} off a Swarm task: its id is the task container's (what the metrics are
 * keyed by), its name the container's name {@code <service>.<slot>.<task id>}, which Docker's DNS
 * resolves on the service's overlay network, where the balancer probes and reaches it.
 */
final class TaskMapper {

  /** States of a task on its way to running. */
  private static final Set<String> STARTING =
      Set.of(
          "new", "allocated", "pending", "assigned", "accepted", "preparing", "ready", "starting");

  /** States in which a task failed: shown as the service's problem while recent. */
  private static final Set<String> FAILED = Set.of("failed", "rejected", "orphaned");

  private TaskMapper() {}

  /**
   * The replica a task is, or empty for history: a task that ended (or never started) and is not to
   * run again, unless it failed within {@code recent} of {@code now}.
   */
  static Optional<Replica> replica(
      JsonNode task, FoundService service, String network, Instant now, Duration recent) {
    String taskId = task.path("ID").asText("");
    if (taskId.isEmpty()) {
      return Optional.empty();
    }
    String state = task.path("Status").path("State").asText();
    // An Engine that leaves the desired state out wants the task to run.
    boolean toRun = "running".equals(task.path("DesiredState").asText("running"));
    // Without a time of its own, a change is as old as the task (never "recent" by default).
    Instant changed =
        instant(
            task.path("Status").path("Timestamp").asText(),
            instant(task.path("CreatedAt").asText(), Instant.EPOCH));
    Replica.State mapped;
    if ("running".equals(state)) {
      mapped = Replica.State.RUNNING;
    } else if (STARTING.contains(state)) {
      mapped = Replica.State.CREATED;
    } else {
      mapped = Replica.State.EXITED;
    }
    boolean recentFailure =
        FAILED.contains(state) && Duration.between(changed, now).compareTo(recent) < 0;
    if (mapped == Replica.State.EXITED && !recentFailure) {
      return Optional.empty();
    }
    if (!toRun && mapped == Replica.State.CREATED) {
      return Optional.empty();
    }
    int slot = task.path("Slot").asInt();
    JsonNode container = task.path("Status").path("ContainerStatus");
    String containerId = container.path("ContainerID").asText("");
    String error = task.path("Status").path("Err").asText("");
    // A task that has not started carries why it waits (no node fits, no such image) as its exit.
    Replica.Exit exit =
        mapped == Replica.State.EXITED
            ? new Replica.Exit(container.path("ExitCode").asInt(), false, firstOf(error, state))
            : mapped == Replica.State.CREATED && !error.isEmpty()
                ? new Replica.Exit(0, false, error)
                : Replica.Exit.NONE;
    return Optional.of(
        new Replica(
            containerId.isEmpty() ? taskId : containerId,
            service.name() + "." + slot + "." + taskId,
            service.service(),
            slot,
            mapped,
            Replica.Readiness.UNKNOWN,
            address(task, network),
            instant(task.path("CreatedAt").asText(), changed),
            changed,
            !toRun,
            false,
            service.template(),
            "",
            false,
            0,
            exit));
  }

  /** The task's address on {@code network}, without its prefix length; empty when it has none. */
  static String address(JsonNode task, String network) {
    for (JsonNode attachment : task.path("NetworksAttachments")) {
      if (network.equals(attachment.path("Network").path("Spec").path("Name").asText())) {
        for (JsonNode a : attachment.path("Addresses")) {
          String text = a.asText();
          int slash = text.indexOf('/');
          return slash < 0 ? text : text.substring(0, slash);
        }
      }
    }
    return "";
  }

  private static String firstOf(String error, String state) {
    return error.isEmpty() ? state : error;
  }

  private static Instant instant(String text, Instant fallback) {
    try {
      return text.isEmpty() ? fallback : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
