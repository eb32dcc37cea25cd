package dev.dockscale.docker;

import dev.dockscale.engine.Backoff;
import dev.dockscale.engine.ReplicaRuntime.ImageState;
import dev.dockscale.policy.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets images ready outside the reconcile loop: a missing image is pulled (or built, for
 * dockscale's own) on a background thread while the loop goes on and reports "pulling"; a failure
 * is reported with the fix and tried again after a back-off (30 s, doubling up to 5 min), so a
 * wrong image name never turns into a hot loop of pulls.
 */
public final class ImagePreparer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePreparer.class);
  private static final Backoff RETRY = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(5));

  private final Images images;
  private final Clock clock;
  private final ExecutorService pulls =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "dockscale-image");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private static final class Entry {
    volatile ImageState state;
    volatile int failures;
    volatile Instant retryAt = Instant.EPOCH;
    volatile boolean running;
  }

  public ImagePreparer(Images images, Clock clock) {
    this.images = images;
    this.clock = clock;
  }

  public ImageState prepare(String image) {
    Entry e = entries.computeIfAbsent(image, k -> new Entry());
    synchronized (e) {
      if (e.state != null && e.state.present()) {
        return e.state;
      }
      boolean due = !clock.instant().isBefore(e.retryAt);
      if (!e.running && e.state == null && images.present(image)) {
        // Most of the time the image is simply there: no background round for it.
        e.state = ImageState.PRESENT_STATE;
        return e.state;
      }
      if (!e.running && due) {
        e.running = true;
        e.state =
            ImageState.preparing(
                "image " + image + " is not on this machine yet: pulling or building it");
        pulls.execute(() -> run(image, e));
      }
      return e.state;
    }
  }

  private void run(String image, Entry e) {
    ImageState result;
    try {
      images.ensurePresent(image);
      result = ImageState.PRESENT_STATE;
      e.failures = 0;
    } catch (RuntimeException failure) {
      e.failures++;
      Duration wait = RETRY.delay(e.failures);
      e.retryAt = clock.instant().plus(wait);
      result =
          ImageState.failed(
              failure.getMessage() + " (tried again in " + Durations.format(wait) + ")");
      LOG.warn("{}", result.message());
    }
    synchronized (e) {
      e.state = result;
      e.running = false;
    }
  }

  /**
   * Forgets what it knew of {@code image}: the next call checks again (after an image was removed).
   */
  public void forget(String image) {
    entries.remove(image);
  }

  @Override
  public void close() {
    pulls.shutdownNow();
  }
}
