package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.ServiceSpec;
import org.junit.jupiter.api.Test;

/** The benchmarks' projects are valid configs that say what the benchmarks rely on. */
class BenchConfigsTest {

  @Test
  void theReactionBenchmarksServiceScalesOnCpuBetweenOneAndTwoWithItsWarmPool() {
    ServiceSpec web =
        ConfigLoader.parse("r.yml", BenchReactionCommand.yaml("dsbench-r", 18080, 1, 0))
            .services()
            .get("web");

    assertThat(web.warm()).isEqualTo(1);
    assertThat(web.policy().min()).isEqualTo(1);
    assertThat(web.policy().max()).isEqualTo(2);
    assertThat(web.policy().rules()).hasSize(1);
    assertThat(web.policy().rules().get(0).toString()).contains("70").contains("20");
    assertThat(web.resources().boosted()).isFalse();
    ServiceSpec boosted =
        ConfigLoader.parse("r.yml", BenchReactionCommand.yaml("dsbench-r", 18080, 0, 2))
            .services()
            .get("web");
    assertThat(boosted.resources().startupCpus()).isEqualTo(2.0);
    assertThat(boosted.resources().cpus()).isEqualTo(0.5);
  }

  @Test
  void theBurstBenchmarksServiceIsPinnedToItsCount() {
    ServiceSpec web =
        ConfigLoader.parse("b.yml", BenchBurstCommand.yaml("dsbench-b", 18080, 10, 0))
            .services()
            .get("web");

    assertThat(web.policy().min()).isEqualTo(10);
    assertThat(web.policy().max()).isEqualTo(10);
    assertThat(web.policy().rules().get(0).toString()).contains("99");
  }
}
