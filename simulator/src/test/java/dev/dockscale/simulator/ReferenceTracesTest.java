package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
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
 * The shipped traces under each preset and baseline (hpa-tuned aside: it is tuned, see
 * EvaluationTest): figures as committed (golden), with the simulator's default model.
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
    SimulatedService service = SimulatedService.of(web);
    int min = web.policy().min();
    int max = web.policy().max();
    Comparison comparison =
        new Comparison(Comparison.DEFAULT_OFFSETS, Comparison.DEFAULT_SLO, true);
    StringBuilder b = new StringBuilder(Reports.tableHeader());
    for (String name : ReferenceTraces.all().keySet()) {
      Trace trace = Trace.read(TRACES.resolve(name + ".csv"));
      List<Contender> contenders = new ArrayList<>();
      contenders.add(Baselines.staticPeak(service, trace, min, max));
      contenders.add(Baselines.classic(config.interval(), min, max));
      contenders.add(Baselines.hpa(min, max));
      contenders.add(Baselines.dockscale(config.interval(), min, max));
      contenders.add(Baselines.dockscaleCpuOnly(config.interval(), min, max));
      for (Simulator.Result r : comparison.run(contenders, service, trace)) {
        b.append(Reports.row(name, r.summary(), service, Tuner.Objective.DEFAULT));
        results.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(r.policy(), r.summary());
      }
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
  void staticPeakNeverOverloadsAndEveryPolicyServesTheSameRequests() {
    results.forEach(
        (trace, byPolicy) -> {
          assertThat(byPolicy.get("static-peak").overloadSeconds()).as(trace).isZero();
          double requests = byPolicy.get("static-peak").requests();
          byPolicy.values().forEach(s -> assertThat(s.requests()).as(trace).isEqualTo(requests));
        });
  }
}
