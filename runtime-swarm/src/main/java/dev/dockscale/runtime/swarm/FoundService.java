package dev.dockscale.runtime.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockscale.engine.Labels;

/**
 * A Swarm service of the project, as read from the Engine.
 *
 * @param id the Swarm id
 * @param name the Swarm name
 * @param service the dockscale service it is (label {@code dockscale.service})
 * @param version the spec's version index, which an update must name
 * @param replicas the count it is set to (0 for a service that is not replicated)
 * @param template the hash of the template dockscale created it from; empty when it was found by
 *     its labels
 * @param spec the spec as read, to send back changed
 */
record FoundService(
    String id,
    String name,
    String service,
    long version,
    int replicas,
    String template,
    boolean replicated,
    JsonNode spec) {

  static FoundService of(JsonNode s) {
    JsonNode spec = s.path("Spec");
    JsonNode labels = spec.path("Labels");
    JsonNode replicated = spec.path("Mode").path("Replicated");
    boolean created = "true".equals(labels.path(Labels.MANAGED).asText());
    return new FoundService(
        s.path("ID").asText(),
        spec.path("Name").asText(),
        labels.path(Labels.SERVICE).asText(),
        s.path("Version").path("Index").asLong(),
        replicated.path("Replicas").asInt(replicated.isMissingNode() ? 0 : 1),
        created ? labels.path(Labels.TEMPLATE).asText("") : "",
        !replicated.isMissingNode(),
        spec);
  }

  boolean created() {
    return !template.isEmpty();
  }

  /** Its spec as read, every field kept, with only the replica count changed. */
  ObjectNode withReplicas(int count) {
    ObjectNode changed = spec.deepCopy();
    changed.withObject("/Mode/Replicated").put("Replicas", count);
    return changed;
  }
}
