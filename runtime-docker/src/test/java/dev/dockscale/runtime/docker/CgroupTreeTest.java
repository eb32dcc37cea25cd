package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.runtime.docker.CgroupFixture.Layout;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where Docker's cgroup drivers put a container's counters, on cgroup v1 and v2. */
class CgroupTreeTest {

  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(Layout.class)
  void findsAContainerAndReadsCpuInNanosecondsAndMemoryLessInactiveFile(Layout layout)
      throws IOException {
    new CgroupFixture(root, layout).set("c1", 7_000_000_000L, 100_000_000, 30_000_000);
    CgroupTree tree = new CgroupTree(root);

    CgroupTree.Container container = tree.find("c1").orElseThrow();

    assertThat(tree.version().name()).isEqualTo(layout.name().substring(0, 2));
    assertThat(container.cpuNanos()).isEqualTo(7_000_000_000L);
    assertThat(container.memoryBytes()).isEqualTo(70_000_000);
  }

  @Test
  void memoryIsTheWholeUsageWhenInactiveFileIsNotLess() throws IOException {
    // As docker stats: the page cache is left out only when it is smaller than the usage.
    new CgroupFixture(root, Layout.V2_SYSTEMD).set("c1", 0, 100_000_000, 100_000_000);

    CgroupTree.Container container = new CgroupTree(root).find("c1").orElseThrow();

    assertThat(container.memoryBytes()).isEqualTo(100_000_000);
  }

  @Test
  void aContainerInNoKnownPlaceIsNotFound() {
    new CgroupFixture(root, Layout.V1_CGROUPFS).set("c1", 0, 0, 0);

    assertThat(new CgroupTree(root).find("c2")).isEmpty();
  }
}
