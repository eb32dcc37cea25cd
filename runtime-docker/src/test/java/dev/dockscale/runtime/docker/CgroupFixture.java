package dev.dockscale.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup tree on disk, laid out as one of Docker's cgroup drivers lays it out on cgroup v1 or v2,
 * holding the counters a test sets. Each file carries neighbouring lines as the kernel's do.
 */
final class CgroupFixture {

  enum Layout {
    V1_CGROUPFS(false, "cpuacct/docker/%s", "memory/docker/%s"),
    V1_CGROUPFS_CPU_AND_CPUACCT_TOGETHER(false, "cpu,cpuacct/docker/%s", "memory/docker/%s"),
    V1_SYSTEMD(
        false, "cpu,cpuacct/system.slice/docker-%s.scope", "memory/system.slice/docker-%s.scope"),
    V1_SYSTEMD_CPUACCT_AND_CPU_TOGETHER(
        false, "cpuacct,cpu/system.slice/docker-%s.scope", "memory/system.slice/docker-%s.scope"),
    V2_SYSTEMD(true, "system.slice/docker-%s.scope", "system.slice/docker-%s.scope"),
    V2_CGROUPFS(true, "docker/%s", "docker/%s");

    private final boolean v2;
    private final String cpuDir;
    private final String memoryDir;

    Layout(boolean v2, String cpuDir, String memoryDir) {
      this.v2 = v2;
      this.cpuDir = cpuDir;
      this.memoryDir = memoryDir;
    }
  }

  private final Path root;
  private final Layout layout;

  CgroupFixture(Path root, Layout layout) {
    this.root = root;
    this.layout = layout;
    if (layout.v2) {
      write(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
    }
  }

  /** Sets a container's CPU time used, in ns, and its memory usage and inactive page cache. */
  void set(String id, long cpuNanos, long memoryUsage, long inactiveFile) {
    if (layout.v2) {
      long usec = cpuNanos / 1000;
      write(
          file(id, "cpu.stat"),
          "usage_usec %d\nuser_usec %d\nsystem_usec %d\nnr_periods 0\n"
              .formatted(usec, usec / 2, usec - usec / 2));
      write(file(id, "memory.current"), memoryUsage + "\n");
      write(
          file(id, "memory.stat"),
          "anon 4096\nfile %d\nactive_file 1\ninactive_file %d\n"
              .formatted(inactiveFile + 1, inactiveFile));
    } else {
      write(file(id, "cpuacct.usage"), cpuNanos + "\n");
      write(file(id, "memory.usage_in_bytes"), memoryUsage + "\n");
      // inactive_file is the cgroup's own; total_inactive_file counts its children too.
      write(
          file(id, "memory.stat"),
          "cache %d\nrss 4096\ninactive_file 1\nactive_file 1\ntotal_inactive_file %d\n"
              .formatted(inactiveFile + 1, inactiveFile));
    }
  }

  /** One of a container's cgroup files: the memory controller's for {@code memory.*}. */
  Path file(String id, String name) {
    String dir = name.startsWith("memory.") ? layout.memoryDir : layout.cpuDir;
    return root.resolve(dir.formatted(id)).resolve(name);
  }

  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
