package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.model.Container;
import dev.dockscale.docker.Docker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The last container list of each project, asked of the Engine again only when it may have changed.
 * A list is trusted when it began at least {@link Docker#SETTLE} after the project's last change
 * (an event of the project, a change dockscale made, the event stream connecting or breaking: the
 * engine tells of a death a moment before its list shows it), while the project's event stream is
 * connected (else nothing would tell of a change), and for {@link Docker#TRUSTED}. A list of 100
 * containers costs dockerd about 19 ms of CPU here; listing at every 1 s tick would be most of what
 * watching idle replicas costs it.
 *
 * <p>{@link #get} is called by one thread (the loop); changes are told from any.
 */
final class Listings {

  private final Clock clock;
  private final Map<String, Listing> projects = new ConcurrentHashMap<>();

  Listings(Clock clock) {
    this.clock = clock;
  }

  private static final class Listing {
    volatile boolean watched;
    volatile Instant lastChange = Instant.EPOCH;

    /** When the kept list was asked for; null when there is none. */
    volatile Instant listedAt;

    volatile List<Container> containers = List.of();

    boolean trusted(Instant now) {
      Instant at = listedAt;
      return watched
          && at != null
          && !at.isBefore(lastChange.plus(Docker.SETTLE))
          && !now.isBefore(at)
          && Duration.between(at, now).compareTo(Docker.TRUSTED) < 0;
    }
  }

  /** The project's containers: the last list when still trusted, else {@code list}'s answer. */
  List<Container> get(String project, Supplier<List<Container>> list) {
    Listing l = listing(project);
    Instant now = clock.instant();
    if (l.trusted(now)) {
      return l.containers;
    }
    l.listedAt = null;
    l.containers = list.get();
    l.listedAt = now;
    return l.containers;
  }

  /** Something of the project changed. */
  void changed(String project) {
    listing(project).lastChange = clock.instant();
  }

  /** dockscale changed a container (of whichever project). */
  void changedAll() {
    Instant now = clock.instant();
    projects.values().forEach(l -> l.lastChange = now);
  }

  /** Whether the project's event stream is connected, so that a change would be told. */
  void watched(String project, boolean watched) {
    Listing l = listing(project);
    l.watched = watched;
    l.lastChange = clock.instant();
  }

  boolean watched(String project) {
    return listing(project).watched;
  }

  private Listing listing(String project) {
    return projects.computeIfAbsent(project, p -> new Listing());
  }
}
