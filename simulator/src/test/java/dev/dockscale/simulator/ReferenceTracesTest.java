package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped traces, under each preset: figures as committed (golden), and the claims
 * docs/policies.md makes of the dockscale preset.
 */
class ReferenceTracesTest {

  private static final Path TRACES = Path.of("traces");
  private static final Path GOLDEN = Path.of("src/test/resources/golden/reference-summaries.txt");
  private static final Map<String, Map<String, Summary>> results = new LinkedHashMap<>();
  private static String table;

  @BeforeAll
  static void simulateEveryTraceUnderEveryPreset() throws IOException {
    DockscaleConfig config = ConfigLoader.load(TRACES.resolve("reference.yml"));
    ServiceSpec web = config.services().get("web");
    StringBuilder b = new StringBuilder();
    for (String name : ReferenceTraces.all().keySet()) {
      Trace trace = Trace.read(TRACES.resolve(name + ".csv"));
      List<Summary> summaries = new ArrayList<>();
      for (Preset preset : Preset.values()) {
        ScalingPolicy policy = ScalingPolicy.of(preset, web.policy().min(), web.policy().max());
        Summary s =
            Simulator.run(
                    preset.key(),
                    policy,
                    preset.interval().orElse(config.interval()),
                    SimulatedService.of(web),
                    trace)
                .summary();
        summaries.add(s);
        results.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(preset.key(), s);
      }
      String part = Reports.table(name, summaries);
      b.append(b.length() == 0 ? part : part.substring(part.indexOf('\n') + 1));
    }
    table = b.toString();
    if ("1".equals(System.getenv("UPDATE_GOLDEN"))) {
      Files.writeString(GOLDEN, table);
    }
  }

  @Test
  void shippedTracesAreTheGeneratedOnes() throws IOException {
    for (var e : ReferenceTraces.all().entrySet()) {
      assertThat(Files.readString(TRACES.resolve(e.getKey() + ".csv")))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void summariesAreAsCommitted() throws IOException {
    System.out.print(table);
    assertThat(table).isEqualTo(Files.readString(GOLDEN));
  }

  @Test
  void dockscaleOverloadsLessThanClassicAndHpaOnStepSpikeAndRampWithoutMoreContainers() {
    for (String trace : List.of("step", "spike", "ramp")) {
      Summary ours = results.get(trace).get("dockscale");
      Summary classic = results.get(trace).get("classic");
      Summary hpa = results.get(trace).get("hpa");
      assertThat(ours.overloadSeconds())
          .as(trace + " overload vs classic")
          .isLessThan(classic.overloadSeconds());
      assertThat(ours.overloadSeconds())
          .as(trace + " overload vs hpa")
          .isLessThan(hpa.overloadSeconds());
      assertThat(ours.containerSeconds())
          .as(trace + " container-seconds vs hpa")
          .isLessThanOrEqualTo(hpa.containerSeconds());
    }
  }

  @Test
  void dockscaleNeverChangesDirectionOnNoisyFlatLoad() {
    assertThat(results.get("noisy-flat").get("dockscale").directionChanges()).isZero();
  }
}
