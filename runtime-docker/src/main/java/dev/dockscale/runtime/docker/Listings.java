package dev.dockscale.runtime.docker;

import com.github.dockerjava.api.model.Container;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The last container list of each project, listed again only when it may have changed: within
 * {@link #UNSETTLED} of an event of the project or of a change dockscale made (the engine tells of
 * a death a moment before its list shows it), while the project's event stream is not connected
 * (nothing would tell of a change), or when the last list is {@link #MAX_AGE} old. A list of 100
 * containers costs dockerd about 19 ms of CPU here; listing at every 1 s tick would be most of what
 * watching idle replicas costs it.
 */
final class Listings {

  static final Duration MAX_AGE = Duration.ofSeconds(10);
  static final Duration UNSETTLED = Duration.ofSeconds(1);

  private final Clock clock;
  private final Map<String, Listing> projects = new ConcurrentHashMap<>();

  Listings(Clock clock) {
    this.clock = clock;
  }

  private static final class Listing {
    volatile boolean watched;
    volatile boolean stale = true;
    volatile Instant at = Instant.MIN;
    volatile Instant unsettledUntil = Instant.MIN;
    volatile List<Container> containers = List.of();

    void changed(Instant now) {
      stale = true;
      unsettledUntil = now.plus(UNSETTLED);
    }
  }

  /** The project's containers: the last list when still good, else {@code list}'s answer. */
  List<Container> get(String project, Supplier<List<Container>> list) {
    Listing l = projects.computeIfAbsent(project, p -> new Listing());
    Instant now = clock.instant();
    if (l.watched
        && !l.stale
        && !now.isBefore(l.unsettledUntil)
        && Duration.between(l.at, now).compareTo(MAX_AGE) < 0) {
      return l.containers;
    }
    // Cleared before listing: an event during the list marks it stale again.
    l.stale = false;
    try {
      l.containers = list.get();
      l.at = now;
    } catch (RuntimeException e) {
      l.stale = true;
      throw e;
    }
    return l.containers;
  }

  /** Something of the project changed: it is listed again at every get for a while. */
  void changed(String project) {
    Listing l = projects.get(project);
    if (l != null) {
      l.changed(clock.instant());
    }
  }

  /** dockscale changed a container (of whichever project): every project is listed again. */
  void changedAll() {
    Instant now = clock.instant();
    projects.values().forEach(l -> l.changed(now));
  }

  /** Whether the project's event stream is connected, so that a change would be told. */
  void watched(String project, boolean watched) {
    Listing l = projects.computeIfAbsent(project, p -> new Listing());
    l.stale = true;
    l.watched = watched;
  }
}
