package dev.dockscale.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

  private final Path root;
  private final Version version;

  CgroupTree(Path root) {
    this.root = root;
    this.version = Files.exists(root.resolve("cgroup.controllers")) ? Version.V2 : Version.V1;
  }

  Version version() {
    return version;
  }

  /** The cgroup of this container, or empty when none of the known layouts has it. */
  Optional<Container> find(String id) {
    List<String> placements = List.of("docker/" + id, "system.slice/docker-" + id + ".scope");
    if (version == Version.V2) {
      return placements.stream()
          .map(root::resolve)
          .filter(dir -> hasFiles(dir, "cpu.stat", "memory.current"))
          .findFirst()
          .map(dir -> new Container(dir, dir, Version.V2));
    }
    Optional<Path> cpu =
        V1_CPU_CONTROLLERS.stream()
            .flatMap(
                controller -> placements.stream().map(p -> root.resolve(controller).resolve(p)))
            .filter(dir -> hasFiles(dir, "cpuacct.usage"))
            .findFirst();
    Optional<Path> memory =
        placements.stream()
            .map(p -> root.resolve("memory").resolve(p))
            .filter(dir -> hasFiles(dir, "memory.usage_in_bytes"))
            .findFirst();
    return cpu.flatMap(c -> memory.map(m -> new Container(c, m, Version.V1)));
  }

  private static boolean hasFiles(Path dir, String... names) {
    for (String name : names) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        return false;
      }
    }
    return true;
  }

  /** A container's CPU time used since it started, and its memory in use, at one moment. */
  record Counters(long cpuNanos, long memoryBytes) {}

  /** The directories holding one container's CPU and memory counters. */
  record Container(Path cpu, Path memory, Version version) {

    /**
     * Reads the counters now. Memory in use is usage less the inactive page cache, as {@code docker
     * stats} shows it.
     *
     * @throws IOException when a file is missing or does not hold what it should
     */
    Counters read() throws IOException {
      if (version == Version.V1) {
        return new Counters(
            number(cpu.resolve("cpuacct.usage")),
            inUse(memory.resolve("memory.usage_in_bytes"), "total_inactive_file"));
      }
      return new Counters(
          field(cpu.resolve("cpu.stat"), "usage_usec") * 1000,
          inUse(memory.resolve("memory.current"), "inactive_file"));
    }

    private long inUse(Path usageFile, String inactiveField) throws IOException {
      long usage = number(usageFile);
      long inactive = field(memory.resolve("memory.stat"), inactiveField);
      return inactive < usage ? usage - inactive : usage;
    }
  }

  private static long number(Path file) throws IOException {
    return counter(file, Files.readString(file).strip());
  }

  /** The value of one {@code name value} line of a file such as {@code memory.stat}. */
  private static long field(Path file, String name) throws IOException {
    for (String line : Files.readAllLines(file)) {
      String[] words = line.strip().split(" ");
      if (words.length == 2 && words[0].equals(name)) {
        return counter(file, words[1]);
      }
    }
    throw new IOException(file + " has no " + name + " line");
  }

  private static long counter(Path file, String text) throws IOException {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw notACounter(file, text, e);
    }
    if (value < 0) {
      throw notACounter(file, text, null);
    }
    return value;
  }

  private static IOException notACounter(Path file, String text, Throwable cause) {
    return new IOException(file + " holds '" + text + "' where a counter should be", cause);
  }
}
