package dev.dockscale.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.runtime.docker.CgroupReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent serves, read from a cgroup v1 tree on disk laid out as Docker's cgroupfs does. */
class ContainerExporterTest {

  private static final String WEB = "a".repeat(64);
  private static final String GONE = "b".repeat(64);
  private static final String UNDESCRIBED = "c".repeat(64);

  @TempDir Path root;

  private final List<ContainerExporter.Container> running = new ArrayList<>();

  /** Describes the containers of {@link #running} as the Engine would. */
  private final ContainerExporter.Containers engine =
      new ContainerExporter.Containers() {
        @Override
        public Optional<ContainerExporter.Container> describe(String id) {
          return running.stream().filter(c -> c.id().equals(id)).findFirst();
        }

        @Override
        public void retainOnly(Collection<String> ids) {}
      };

  @Test
  void servesEachContainersCpuAndWorkingSetUnderCadvisorsNamesAndLabels() throws IOException {
    counters(WEB, 7_250_000_000L, 50L << 20, 10L << 20);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("com.docker.swarm.service.name", "shop_web");
    labels.put("dockscale.project", "shop");
    running.add(new ContainerExporter.Container(WEB, "shop_web.1.x", "app:1", labels));

    String text = scrape();

    assertThat(text)
        .contains("# TYPE container_cpu_usage_seconds_total counter")
        .contains("# TYPE container_memory_working_set_bytes gauge");
    String labelSet =
        "{container_label_com_docker_swarm_service_name=\"shop_web\","
            + "container_label_dockscale_project=\"shop\",id=\"/docker/"
            + WEB
            + "\",image=\"app:1\",name=\"shop_web.1.x\"}";
    assertThat(value(text, "container_cpu_usage_seconds_total" + labelSet)).isEqualTo(7.25);
    assertThat(value(text, "container_memory_working_set_bytes" + labelSet)).isEqualTo(40 << 20);
  }

  @Test
  void aContainerWithoutACgroupOrThatTheEngineCannotDescribeIsLeftOutNotServedAsZero()
      throws IOException {
    counters(WEB, 1_000_000_000L, 1 << 20, 0);
    counters(UNDESCRIBED, 1_000_000_000L, 1 << 20, 0);
    running.add(new ContainerExporter.Container(WEB, "web", "app:1", Map.of()));
    running.add(new ContainerExporter.Container(GONE, "gone", "app:1", Map.of()));

    String text = scrape();

    assertThat(text).contains(WEB).doesNotContain(GONE).doesNotContain(UNDESCRIBED);
  }

  @Test
  void containersAreFoundInTheTreeNotListedAndNotADirectoryOfAnotherName() throws IOException {
    counters(WEB, 0, 1 << 20, 0);
    Files.createDirectories(root.resolve("cpuacct/docker/not-a-container"));
    try (CgroupReader reader = CgroupReader.forRoot(root).orElseThrow()) {
      assertThat(reader.containerIds()).containsExactly(WEB);
    }
  }

  @Test
  void labelValuesAreEscapedAndTwoLabelsOfOneNameKeepTheFirst() throws IOException {
    counters(WEB, 0, 1 << 20, 0);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("a.b", "say \"hi\"\\");
    labels.put("a-b", "the-other-one");
    running.add(new ContainerExporter.Container(WEB, "web", "app:1", labels));

    String text = scrape();

    assertThat(text)
        .contains("container_label_a_b=\"say \\\"hi\\\"\\\\\"")
        .doesNotContain("the-other-one");
  }

  /** The value of the one series so named and labelled, as Prometheus would parse it. */
  private static double value(String text, String series) {
    return text.lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + " in\n" + text));
  }

  @Test
  void onlyLabelsOfTheGivenPrefixesWhenSomeAreGivenAndAMissingValueIsEmpty() throws IOException {
    counters(WEB, 0, 1 << 20, 0);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("dockscale.service", "web");
    labels.put("traefik.http.middlewares.auth.basicauth.users", "admin:$apr1$secret");
    labels.put("com.docker.swarm.task.name", null);
    running.add(new ContainerExporter.Container(WEB, null, null, labels));

    String text = scrape(List.of("dockscale.", "com.docker.swarm."));

    assertThat(text)
        .contains("container_label_dockscale_service=\"web\"")
        .contains("container_label_com_docker_swarm_task_name=\"\"")
        .contains("image=\"\"")
        .doesNotContain("secret")
        .doesNotContain("traefik");
  }

  private String scrape() throws IOException {
    return scrape(List.of());
  }

  private String scrape(List<String> prefixes) throws IOException {
    try (CgroupReader reader = CgroupReader.forRoot(root).orElseThrow()) {
      ContainerExporter exporter = new ContainerExporter(engine, reader, prefixes);
      try (AgentServer server = new AgentServer(exporter)) {
        return new String(server.text(exporter), StandardCharsets.UTF_8);
      }
    }
  }

  private void counters(String id, long cpuNanos, long usage, long inactiveFile)
      throws IOException {
    counters(root, id, cpuNanos, usage, inactiveFile);
  }

  /** A container's counters where Docker's cgroupfs driver puts them on cgroup v1. */
  static void counters(Path root, String id, long cpuNanos, long usage, long inactiveFile)
      throws IOException {
    Path cpu = Files.createDirectories(root.resolve("cpuacct/docker/" + id));
    Files.writeString(cpu.resolve("cpuacct.usage"), cpuNanos + "\n");
    Path memory = Files.createDirectories(root.resolve("memory/docker/" + id));
    Files.writeString(memory.resolve("memory.usage_in_bytes"), usage + "\n");
    Files.writeString(
        memory.resolve("memory.stat"),
        "cache 1\nrss 4096\ninactive_file 1\ntotal_inactive_file " + inactiveFile + "\n");
  }
}
