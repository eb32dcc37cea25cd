package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever the load, every preset keeps the replicas it counts within [min, max]. */
class PresetBoundsProperties {

  private static final SimulatedService SERVICE =
      new SimulatedService(
          0.5,
          256,
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          0.5,
          Duration.ofSeconds(10),
          Duration.ofMillis(10),
          1,
          Duration.ofSeconds(30));

  @Property(tries = 60)
  void noPresetEverLeavesMinAndMax(
      @ForAll Preset preset,
      @ForAll @IntRange(min = 0, max = 5) int min,
      @ForAll @IntRange(min = 0, max = 10) int above,
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 8) Double> levels) {
    int max = Math.max(1, min + above);
    StringBuilder csv = new StringBuilder("t,demand\n");
    for (int i = 0; i < levels.size(); i++) {
      csv.append(i * 10).append(',').append(levels.get(i)).append('\n');
    }
    Trace trace = Trace.parse("random", csv.toString());
    Pipeline pipeline =
        preset == Preset.HPA ? Pipeline.HPA : Pipeline.dockscale(Duration.ofSeconds(1));
    List<Simulator.Row> rows = new ArrayList<>();
    rows.addAll(
        Simulator.run(
                preset.key(),
                ScalingPolicy.of(preset, min, max),
                pipeline,
                SERVICE,
                trace,
                new Simulator.Run(0, 1, trace.end(), Duration.ofMillis(250), false))
            .rows());
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.desired()).isBetween(min, max);
              assertThat(row.replicas()).isBetween(min, max);
            });
  }
}
