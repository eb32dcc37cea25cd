package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.runtime.docker.CgroupFixture.Layout;
import dev.dockscale.runtime.docker.CgroupReader.Usage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Raw counters of any container, for the agent, on each of Docker's cgroup layouts. */
class CgroupReaderTest {

  private static final String ID = "a".repeat(64);

  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(Layout.class)
  void readsCpuAndMemoryAndSaysWhereTheContainerIsAsCadvisorDoes(Layout layout) {
    CgroupFixture fixture = new CgroupFixture(root, layout);
    fixture.set(ID, 7_000_000_000L, 50L << 20, 10L << 20);
    try (CgroupReader reader = CgroupReader.forRoot(root).orElseThrow()) {
      Usage usage = reader.read(ID).orElseThrow();

      assertThat(usage.cpuNanos()).isEqualTo(7_000_000_000L);
      assertThat(usage.memoryBytes()).isEqualTo(40L << 20);
      assertThat(usage.cgroup())
          .isEqualTo(
              layout.name().contains("SYSTEMD")
                  ? "/system.slice/docker-" + ID + ".scope"
                  : "/docker/" + ID);
    }
  }

  @Test
  void aContainerWhoseFileCannotBeReadIsEmptyAndFoundAgainWhenItCan() {
    CgroupFixture fixture = new CgroupFixture(root, Layout.V1_CGROUPFS);
    fixture.set(ID, 1_000, 1 << 20, 0);
    try (CgroupReader reader = CgroupReader.forRoot(root).orElseThrow()) {
      assertThat(reader.read(ID)).isPresent();
      CgroupFixture.write(fixture.file(ID, "cpuacct.usage"), "gone\n");

      assertThat(reader.read(ID)).isEmpty();

      fixture.set(ID, 2_000, 1 << 20, 0);
      assertThat(reader.read(ID).orElseThrow().cpuNanos()).isEqualTo(2_000);
    }
  }

  @Test
  void noTreeNoReaderAndAnUnknownContainerIsEmpty() {
    assertThat(CgroupReader.forRoot(root.resolve("absent"))).isEmpty();
    try (CgroupReader reader = CgroupReader.forRoot(root).orElseThrow()) {
      assertThat(reader.read("b".repeat(64))).isEmpty();
      reader.retainOnly(List.of());
    }
  }
}
