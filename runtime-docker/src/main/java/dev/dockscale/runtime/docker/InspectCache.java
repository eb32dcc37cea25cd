package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.dockscale.engine.Replica;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inspects each replica only when something may have changed: its state or name in the container
 * list differs from the last inspect, an event named it, the event stream reconnected (events may
 * have been missed), or the last inspect is older than {@link #MAX_AGE}. The list call is one
 * request for all replicas; inspecting all of them on every pass would be one more per replica, and
 * even one every few seconds each is most of what watching an idle replica costs dockerd.
 */
final class InspectCache {

  static final Duration MAX_AGE = Duration.ofMinutes(5);

  /**
   * @param awaitingStart a replica dockscale itself just started and inspected: the Engine's {@code
   *     start} event for it tells nothing new
   */
  private record Entry(
      String state, String name, Instant at, Replica replica, boolean awaitingStart) {}

  private final DockerClient docker;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  InspectCache(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  Replica get(Container c, String network) {
    String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
    Instant now = clock.instant();
    Entry e = entries.get(c.getId());
    if (e != null
        && e.state().equals(c.getState())
        && e.name().equals(name)
        && Duration.between(e.at(), now).compareTo(MAX_AGE) < 0) {
      return e.replica();
    }
    Replica r = ReplicaMapper.replica(docker.inspectContainerCmd(c.getId()).exec(), network);
    entries.put(c.getId(), new Entry(String.valueOf(c.getState()), name, now, r, false));
    return r;
  }

  /**
   * A replica dockscale has just started and inspected: the next pass need not inspect it again (in
   * a burst of ten, ten inspects would hold that pass back).
   */
  void started(Replica r) {
    entries.put(r.id(), new Entry("running", "/" + r.name(), clock.instant(), r, true));
  }

  /** The Engine told of something that happened to a container: inspect it again. */
  void told(String id, String action) {
    entries.computeIfPresent(
        id,
        (k, e) ->
            e.awaitingStart() && "start".equals(action)
                ? new Entry(e.state(), e.name(), e.at(), e.replica(), false)
                : null);
  }

  void forget(String id) {
    entries.remove(id);
  }

  void forgetAll() {
    entries.clear();
  }

  void retain(Set<String> ids) {
    entries.keySet().retainAll(ids);
  }
}
