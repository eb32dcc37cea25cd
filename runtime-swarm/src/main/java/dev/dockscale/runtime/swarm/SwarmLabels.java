package dev.dockscale.runtime.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels of a project's running Swarm services, by dockscale service: what the config reads as
 * policy where dockscale.yml does not speak ({@code ConfigLoader.load(file, labels)}).
 */
public final class SwarmLabels {

  private SwarmLabels() {}

  /** Every label of each Swarm service carrying {@code dockscale.project=project}. */
  public static Map<String, Map<String, String>> read(DockerClient docker, String project) {
    Map<String, Map<String, String>> byService = new LinkedHashMap<>();
    for (JsonNode s : new SwarmApi(docker).services(Map.of(Labels.PROJECT, project))) {
      JsonNode labels = s.path("Spec").path("Labels");
      String service = labels.path(Labels.SERVICE).asText("");
      if (!service.isEmpty()) {
        if (byService.containsKey(service)) {
          throw new RuntimeUnavailableException(
              "two Swarm services carry the labels "
                  + Labels.PROJECT
                  + "="
                  + project
                  + " and "
                  + Labels.SERVICE
                  + "="
                  + service
                  + "; remove the labels from all but one");
        }
        Map<String, String> all = new HashMap<>();
        labels.fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue().asText()));
        byService.put(service, all);
      }
    }
    return byService;
  }
}
