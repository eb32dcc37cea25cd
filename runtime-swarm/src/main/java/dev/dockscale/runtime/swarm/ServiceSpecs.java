package dev.dockscale.runtime.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.ServiceTemplate;
import java.util.Map;

/**
 * The Swarm service spec dockscale creates a service from (Engine API {@code ServiceSpec}): the
 * template's image, environment, limits (each reserved as well, so that Swarm places a task only
 * where it fits), placement and grace period; tasks on the project's overlay network, reached by
 * their own addresses ({@code dnsrr}: no virtual IP, which needs IPVS); updates start a new task
 * before stopping an old one.
 */
final class ServiceSpecs {

  /** The role label of a task container: never taken for one of dockscale's plain containers. */
  static final String ROLE_TASK = "task";

  private ServiceSpecs() {}

  static ObjectNode of(ObjectMapper json, ServiceTemplate t, int replicas) {
    ObjectNode spec = json.createObjectNode();
    spec.put("Name", t.name());
    ObjectNode labels = spec.putObject("Labels");
    Labels.project(t.project()).forEach(labels::put);
    labels.put(Labels.SERVICE, t.service());
    labels.put(Labels.TEMPLATE, t.template());

    ObjectNode task = spec.putObject("TaskTemplate");
    ObjectNode container = task.putObject("ContainerSpec");
    container.put("Image", t.image());
    ArrayNode env = container.putArray("Env");
    t.env().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> env.add(e.getKey() + "=" + e.getValue()));
    ObjectNode containerLabels = container.putObject("Labels");
    Labels.project(t.project()).forEach(containerLabels::put);
    containerLabels.put(Labels.SERVICE, t.service());
    containerLabels.put(Labels.ROLE, ROLE_TASK);
    container.put("StopGracePeriod", t.stopGracePeriod().toNanos());

    ObjectNode resources = task.putObject("Resources");
    for (String kind : new String[] {"Limits", "Reservations"}) {
      ObjectNode r = resources.putObject(kind);
      r.put("NanoCPUs", Math.round(t.cpus() * 1e9));
      r.put("MemoryBytes", t.memoryBytes());
    }
    ArrayNode constraints = task.putObject("Placement").putArray("Constraints");
    t.placement().forEach(constraints::add);
    task.putArray("Networks").addObject().put("Target", t.network());

    spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
    spec.putObject("UpdateConfig").put("Parallelism", 1).put("Order", "start-first");
    spec.putObject("EndpointSpec").put("Mode", "dnsrr");
    return spec;
  }
}
