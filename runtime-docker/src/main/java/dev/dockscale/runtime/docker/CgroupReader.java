package dev.dockscale.runtime.docker;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Any container's raw counters straight from a cgroup tree — CPU time used so far, memory in use as
 * {@code docker stats} counts it — with each container's files kept open between reads: what the
 * agent exports for every container of its node. ({@link CgroupMetricsSource} turns the same
 * counters into the readings the loop decides on.) Not thread-safe: callers serialize.
 */
public final class CgroupReader implements Closeable {

  /**
   * One container's counters.
   *
   * @param cgroup where the container is in the tree, from the controller's root ({@code
   *     /docker/<id>}), as cAdvisor names it
   */
  public record Usage(String cgroup, long cpuNanos, long memoryBytes) {}

  private final CgroupTree tree;
  private final Map<String, CgroupTree.Container> open = new HashMap<>();

  private CgroupReader(Path root) {
    this.tree = new CgroupTree(root);
  }

  /** A reader of the tree under {@code root}; empty when there is no readable tree there. */
  public static Optional<CgroupReader> forRoot(Path root) {
    if (!Files.isDirectory(root) || !Files.isReadable(root)) {
      return Optional.empty();
    }
    return Optional.of(new CgroupReader(root));
  }

  /** {@code V1} or {@code V2}. */
  public String version() {
    return tree.version().name();
  }

  /**
   * The containers with a cgroup in the tree now (running or paused), found by reading the tree's
   * directories: no call to the Engine.
   */
  public Set<String> containerIds() {
    return tree.containerIds();
  }

  /**
   * The container's counters now; empty when its cgroup is in none of the known places or a file
   * could not be read (it is looked for afresh next time).
   */
  public Optional<Usage> read(String containerId) {
    CgroupTree.Container c = open.get(containerId);
    if (c == null) {
      Optional<CgroupTree.Container> found = tree.find(containerId);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      c = found.get();
      open.put(containerId, c);
    }
    try {
      return Optional.of(new Usage(c.cgroup(), c.cpuNanos(), c.memoryBytes()));
    } catch (IOException e) {
      open.remove(containerId).close();
      return Optional.empty();
    }
  }

  /** Closes the files of every container but these. */
  public void retainOnly(Collection<String> containerIds) {
    Set<String> keep = new HashSet<>(containerIds);
    open.entrySet()
        .removeIf(
            e -> {
              boolean gone = !keep.contains(e.getKey());
              if (gone) {
                e.getValue().close();
              }
              return gone;
            });
  }

  @Override
  public void close() {
    open.values().forEach(CgroupTree.Container::close);
    open.clear();
  }
}
