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
 * have been missed), or the last inspect is older than {@link #MAX_AGE} ({@link #UNWATCHED_MAX_AGE}
 * while no event stream would tell of a change). The list call is one request for all replicas;
 * inspecting all of them on every pass would be one more per replica, and even one every few
 * seconds each is most of what watching an idle replica costs dockerd.
 *
 * <p>A replica dockscale starts is announced before its start ({@link #starting}) and kept as its
 * own inspect after it ({@link #started}), so that the next pass does not inspect it again (in a
 * burst of ten, ten inspects held that pass back); only if the Engine told of nothing but its start
 * meanwhile.
 */
final class InspectCache {

  static final Duration MAX_AGE = Duration.ofMinutes(5);
  static final Duration UNWATCHED_MAX_AGE = Duration.ofSeconds(5);

  private record Entry(String state, String name, Instant at, Replica replica) {}

  /** What the Engine told of a container dockscale is starting, until {@link #started}. */
  private enum Told {
    NOTHING,
    ITS_START,
    MORE
  }

  private final DockerClient docker;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Told> starting = new ConcurrentHashMap<>();

  InspectCache(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /**
   * The replica of this listed container; {@code watched}: whether events would tell of changes.
   */
  Replica get(Container c, String network, boolean watched) {
    String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
    Instant now = clock.instant();
    Entry e = entries.get(c.getId());
    Duration maxAge = watched ? MAX_AGE : UNWATCHED_MAX_AGE;
    if (e != null
        && e.state().equals(c.getState())
        && e.name().equals(name)
        && !now.isBefore(e.at())
        && Duration.between(e.at(), now).compareTo(maxAge) < 0) {
      return e.replica();
    }
    Replica r = ReplicaMapper.replica(docker.inspectContainerCmd(c.getId()).exec(), network);
    entries.put(c.getId(), new Entry(String.valueOf(c.getState()), name, now, r));
    return r;
  }

  /** dockscale is about to start this created container. */
  void starting(String id) {
    starting.put(id, Told.NOTHING);
  }

  /** dockscale started it and inspected it since: kept unless the Engine told of more. */
  void started(Replica r) {
    Told told = starting.remove(r.id());
    if (told != null && told != Told.MORE && r.state() == Replica.State.RUNNING) {
      entries.put(r.id(), new Entry("running", "/" + r.name(), clock.instant(), r));
    }
  }

  /** The Engine told of something that happened to a container: inspect it again. */
  void told(String id, String action) {
    starting.computeIfPresent(
        id, (k, t) -> t == Told.NOTHING && "start".equals(action) ? Told.ITS_START : Told.MORE);
    entries.remove(id);
  }

  void forget(String id) {
    entries.remove(id);
    starting.remove(id);
  }

  void forgetAll() {
    entries.clear();
    starting.replaceAll((id, t) -> Told.MORE);
  }

  void retain(Set<String> ids) {
    entries.keySet().retainAll(ids);
  }
}
