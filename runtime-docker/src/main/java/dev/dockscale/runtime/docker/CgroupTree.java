package dev.dockscale.runtime.docker;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A host's cgroup tree, and where Docker puts a container's CPU and memory counters in it. The
 * version is told by the root: a cgroup v2 (unified) root has {@code cgroup.controllers}; a v1 root
 * holds one directory per controller. Docker's cgroupfs driver puts a container in {@code
 * docker/<id>}, its systemd driver in {@code system.slice/docker-<id>.scope}:
 *
 * <ul>
 *   <li>v1: {@code <controller>/docker/<id>} or {@code
 *       <controller>/system.slice/docker-<id>.scope}, where the CPU controller is {@code cpuacct},
 *       or {@code cpu,cpuacct} / {@code cpuacct,cpu} where the two are mounted together, and memory
 *       is {@code memory};
 *   <li>v2: {@code docker/<id>} or {@code system.slice/docker-<id>.scope}, one directory for both.
 * </ul>
 */
final class CgroupTree {

  enum Version {
    V1,
    V2
  }

  private static final List<String> V1_CPU_CONTROLLERS =
      List.of("cpuacct", "cpu,cpuacct", "cpuacct,cpu");

  /** A container id: 64 hex digits. */
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

  private final Path root;
  private final Version version;

  CgroupTree(Path root) {
    this.root = root;
    this.version = Files.exists(root.resolve("cgroup.controllers")) ? Version.V2 : Version.V1;
  }

  Version version() {
    return version;
  }

  /**
   * The ids of the containers that have a cgroup in one of the known places now (running or paused
   * ones: Docker removes an exited container's cgroup), without asking the Engine.
   */
  Set<String> containerIds() {
    List<Path> parents =
        version == Version.V2
            ? List.of(root)
            : V1_CPU_CONTROLLERS.stream().map(root::resolve).toList();
    Set<String> ids = new TreeSet<>();
    for (Path parent : parents) {
      addIds(parent.resolve("docker"), "", "", ids);
      addIds(parent.resolve("system.slice"), "docker-", ".scope", ids);
    }
    return ids;
  }

  private static void addIds(Path dir, String prefix, String suffix, Set<String> ids) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(suffix)) {
          String id = name.substring(prefix.length(), name.length() - suffix.length());
          if (ID.matcher(id).matches()) {
            ids.add(id);
          }
        }
      }
    } catch (IOException e) {
      // Gone or unreadable meanwhile: no containers from there this time.
    }
  }

  /** The cgroup of this container, or empty when none of the known layouts has it. */
  Optional<Container> find(String id) {
    List<String> placements = List.of("docker/" + id, "system.slice/docker-" + id + ".scope");
    if (version == Version.V2) {
      return placements.stream()
          .map(root::resolve)
          .filter(dir -> hasFiles(dir, "cpu.stat", "memory.current"))
          .findFirst()
          .map(dir -> new Container(cgroupOf(root, dir), dir, dir, Version.V2));
    }
    Optional<Path> cpu =
        V1_CPU_CONTROLLERS.stream()
            .flatMap(
                controller -> placements.stream().map(p -> root.resolve(controller).resolve(p)))
            .filter(dir -> hasFiles(dir, "cpuacct.usage"))
            .findFirst();
    Optional<String> cgroup =
        placements.stream()
            .filter(p -> cpu.isPresent() && cpu.get().endsWith(p))
            .map(p -> "/" + p)
            .findFirst();
    Optional<Path> memory =
        placements.stream()
            .map(p -> root.resolve("memory").resolve(p))
            .filter(dir -> hasFiles(dir, "memory.usage_in_bytes"))
            .findFirst();
    return cpu.flatMap(c -> memory.map(m -> new Container(cgroup.orElseThrow(), c, m, Version.V1)));
  }

  /** A v2 container's place from the root: {@code /docker/<id>}. */
  private static String cgroupOf(Path root, Path dir) {
    return "/" + root.relativize(dir);
  }

  private static boolean hasFiles(Path dir, String... names) {
    for (String name : names) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        return false;
      }
    }
    return true;
  }

  /**
   * One container's CPU and memory counter files, kept open between reads (close it when the
   * container is no longer watched).
   */
  static final class Container implements Closeable {
    private final String cgroup;
    private final CounterFile cpu;
    private final CounterFile usage;
    private final CounterFile stat;
    private final Version version;

    Container(String cgroup, Path cpuDir, Path memoryDir, Version version) {
      this.cgroup = cgroup;
      this.version = version;
      this.cpu =
          new CounterFile(cpuDir.resolve(version == Version.V1 ? "cpuacct.usage" : "cpu.stat"));
      this.usage =
          new CounterFile(
              memoryDir.resolve(
                  version == Version.V1 ? "memory.usage_in_bytes" : "memory.current"));
      this.stat = new CounterFile(memoryDir.resolve("memory.stat"));
    }

    /** Where the container is from a controller's root, {@code /docker/<id>}, as cAdvisor says. */
    String cgroup() {
      return cgroup;
    }

    /**
     * The CPU time the container has used since it started, in nanoseconds: one file.
     *
     * @throws IOException when the file is missing or does not hold what it should
     */
    long cpuNanos() throws IOException {
      return version == Version.V1 ? cpu.number() : cpu.field("usage_usec") * 1000;
    }

    /**
     * The memory in use, in bytes: usage less the inactive page cache, as {@code docker stats}
     * shows it (two files).
     *
     * @throws IOException when a file is missing or does not hold what it should
     */
    long memoryBytes() throws IOException {
      long inUse = usage.number();
      long inactive = stat.field(version == Version.V1 ? "total_inactive_file" : "inactive_file");
      return inactive < inUse ? inUse - inactive : inUse;
    }

    @Override
    public void close() {
      cpu.close();
      usage.close();
      stat.close();
    }
  }
}
