package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartsTest {

  @Test
  void aStepLineHoldsEachValueUntilItsNextPoint() {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    series.put("a", List.of(new double[] {0, 1}, new double[] {10, 2}, new double[] {20, 2}));
    series.put("b <&>", List.of(new double[] {0, 1}));
    String svg = Charts.steps("replicas", "replicas", series);
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
    assertThat(svg.split("<polyline", -1)).hasSize(3);
    // a: (0,1) (10,1) (10,2) (20,2): the rise drawn at 10 s, not a slope from 0 to 10
    int from = svg.indexOf("points=\"") + "points=\"".length();
    String points = svg.substring(from, svg.indexOf('"', from)).trim();
    assertThat(points.split(" ")).hasSize(4);
    assertThat(svg).contains("b &lt;&amp;&gt;").contains("20 s");
  }

  @Test
  void aTimelineDrawsDemandAndEachPolicysCapacity() {
    Trace trace = Trace.parse("t", "t,demand\n0,0.3\n10,1\n");
    Simulator.Row row = new Simulator.Row("p", 0, 0.3, 1, 1, 60.0, 1, "hold", "hold");
    String svg =
        Charts.timeline("t", trace, 0.5, List.of(new Simulator.Result("p", List.of(row), null)));
    assertThat(svg).contains(">demand<").contains(">p ready capacity<");
    assertThat(svg.split("<polyline", -1)).hasSize(3);
  }
}
