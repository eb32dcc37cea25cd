package dev.dockscale.runtime.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockscale.engine.ServiceTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Swarm service spec dockscale creates from a template. */
class ServiceSpecsTest {

  @Test
  void carriesTheTemplateLabelsLimitsAndReservationsPlacementAndOverlayNetwork() {
    JsonNode spec =
        ServiceSpecs.of(
            new ObjectMapper(),
            new ServiceTemplate(
                "shop",
                "shop-net",
                "web",
                "app:1",
                Map.of("B", "2", "A", "{{.Task.Slot}}"),
                0.5,
                256L << 20,
                List.of("node.role==worker"),
                Duration.ofSeconds(12),
                "abc"),
            3);
    assertThat(spec.path("Name").asText()).isEqualTo("shop-web");
    assertThat(spec.path("Labels").path("dockscale.managed").asText()).isEqualTo("true");
    assertThat(spec.path("Labels").path("dockscale.project").asText()).isEqualTo("shop");
    assertThat(spec.path("Labels").path("dockscale.service").asText()).isEqualTo("web");
    assertThat(spec.path("Labels").path("dockscale.template").asText()).isEqualTo("abc");
    JsonNode task = spec.path("TaskTemplate");
    JsonNode container = task.path("ContainerSpec");
    assertThat(container.path("Image").asText()).isEqualTo("app:1");
    assertThat(container.path("Env").toString()).isEqualTo("[\"A={{.Task.Slot}}\",\"B=2\"]");
    assertThat(container.path("Labels").path("dockscale.role").asText()).isEqualTo("task");
    assertThat(container.path("StopGracePeriod").asLong()).isEqualTo(12_000_000_000L);
    for (String kind : List.of("Limits", "Reservations")) {
      assertThat(task.path("Resources").path(kind).path("NanoCPUs").asLong())
          .isEqualTo(500_000_000L);
      assertThat(task.path("Resources").path(kind).path("MemoryBytes").asLong())
          .isEqualTo(256L << 20);
    }
    assertThat(task.path("Placement").path("Constraints").toString())
        .isEqualTo("[\"node.role==worker\"]");
    assertThat(task.path("Networks").get(0).path("Target").asText()).isEqualTo("shop-net");
    assertThat(spec.path("Mode").path("Replicated").path("Replicas").asInt()).isEqualTo(3);
    assertThat(spec.path("UpdateConfig").path("Order").asText()).isEqualTo("start-first");
    assertThat(spec.path("EndpointSpec").path("Mode").asText()).isEqualTo("dnsrr");
  }
}
