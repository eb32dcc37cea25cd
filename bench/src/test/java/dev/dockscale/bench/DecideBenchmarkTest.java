package dev.dockscale.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.Decision;
import dev.dockscale.policy.Preset;
import dev.dockscale.policy.ReplicaView;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's inputs do what it claims; it never runs the benchmark itself. */
class DecideBenchmarkTest {

  private static DecideBenchmark started(Preset preset, int replicas) {
    DecideBenchmark bench = new DecideBenchmark();
    bench.preset = preset.key();
    bench.replicas = replicas;
    bench.startLoop();
    return bench;
  }

  @Test
  void decidesOneTickPerIntervalForEveryPresetAndSize() {
    for (Preset preset : Preset.values()) {
      for (int replicas : List.of(10, 100, 1000)) {
        DecideBenchmark bench = started(preset, replicas);
        bench.observeNextTicks();
        Duration interval = preset.interval().orElse(DecideBenchmark.CONFIG_INTERVAL);

        Decision decision = bench.tick(bench.nextTicks().get(0));

        assertThat(decision.at()).isEqualTo(DecideBenchmark.START.plus(interval));
        assertThat(decision.current()).isEqualTo(replicas);
        assertThat(decision.reason()).isNotBlank();
      }
    }
  }

  @Test
  void loadSwingsTheCoreUpAndDownOverOnePeriod() {
    for (Preset preset : Preset.values()) {
      DecideBenchmark bench = started(preset, 100);
      Set<Decision.Action> actions = EnumSet.noneOf(Decision.Action.class);
      while (bench.now().isBefore(DecideBenchmark.START.plus(SyntheticService.PERIOD))) {
        bench.observeNextTicks();
        for (List<ReplicaView> replicas : bench.nextTicks()) {
          actions.add(bench.tick(replicas).action());
        }
      }
      assertThat(actions).as(preset.key()).containsExactlyInAnyOrder(Decision.Action.values());
    }
  }

  @Test
  void everyTickHasReplicasNotReadyWarmingUpAndUnsampled() {
    for (Preset preset : List.of(Preset.HPA, Preset.DOCKSCALE)) {
      DecideBenchmark bench = started(preset, 1000);
      Duration warmup = preset.behavior().warmup();
      for (int invocation = 0; invocation < 3; invocation++) {
        bench.observeNextTicks();
        for (List<ReplicaView> replicas : bench.nextTicks()) {
          bench.tick(replicas);
          var now = bench.now();
          assertThat(replicas).anyMatch(r -> !r.ready());
          if (!warmup.isZero()) {
            // (the dockscale preset has no warm-up: no replica is ever warming up under it)
            assertThat(replicas)
                .anyMatch(
                    r -> r.ready() && Duration.between(r.startedAt(), now).compareTo(warmup) < 0);
          }
          assertThat(replicas).anyMatch(r -> r.ready() && r.readings().isEmpty());
        }
      }
    }
  }
}
