package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.dockscale.engine.Backoff;
import dev.dockscale.engine.Labels;
import dev.dockscale.engine.ReplicaRuntime;
import dev.dockscale.engine.ReplicaRuntime.RuntimeEvent;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch on the Engine's events for one project's containers (died, OOM-killed, started, paused,
 * health changed, removed). When the stream breaks (the daemon restarted), it reconnects with a
 * back-off (1 s doubling to 30 s) and reports a {@code reconnected} event, so the engine looks
 * again at once.
 */
public final class DockerEvents implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(DockerEvents.class);
  private static final Backoff RECONNECT =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** What happens to a container that can change what the engine should do. */
  public static final List<String> ACTIONS =
      List.of("start", "die", "oom", "destroy", "pause", "unpause", "health_status", "rename");

  private final DockerClient docker;
  private final String project;
  private final Consumer<RuntimeEvent> onEvent;
  private final List<String> actions;
  private final Consumer<Boolean> onConnected;
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dockscale-events");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;
  private volatile Closeable stream;
  private final AtomicInteger failures = new AtomicInteger();

  /**
   * @param onConnected told true when the stream starts and false when it breaks: while it is down,
   *     changes go untold
   */
  public DockerEvents(
      DockerClient docker,
      String project,
      Consumer<RuntimeEvent> onEvent,
      Consumer<Boolean> onConnected) {
    this(docker, project, ACTIONS, onEvent, onConnected);
  }

  /** Watching {@code actions} of the project's containers. */
  public DockerEvents(
      DockerClient docker,
      String project,
      List<String> actions,
      Consumer<RuntimeEvent> onEvent,
      Consumer<Boolean> onConnected) {
    this.actions = List.copyOf(actions);
    this.docker = docker;
    this.project = project;
    this.onEvent = onEvent;
    this.onConnected = onConnected;
  }

  public void start() {
    retry.execute(this::connect);
  }

  private void connect() {
    if (closed) {
      return;
    }
    Callback callback = new Callback(failures.get() > 0);
    try {
      stream =
          docker
              .eventsCmd()
              .withEventTypeFilter(EventType.CONTAINER)
              .withLabelFilter(Map.of(Labels.PROJECT, project))
              .withEventFilter(actions.toArray(String[]::new))
              .exec(callback);
    } catch (RuntimeException e) {
      callback.ended(e);
    }
  }

  private void broken(Throwable cause) {
    onConnected.accept(false);
    if (closed) {
      return;
    }
    long delay = RECONNECT.delay(failures.incrementAndGet()).toMillis();
    LOG.warn("runtime event stream lost ({}); reconnecting in {} ms", cause.toString(), delay);
    retry.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * One connection of the stream; its end (error or completion, whichever comes first) reconnects.
   */
  private final class Callback extends StreamCallback<Event> {
    private final boolean reconnect;
    private final AtomicBoolean ended = new AtomicBoolean();

    Callback(boolean reconnect) {
      this.reconnect = reconnect;
    }

    @Override
    public void onStart(Closeable s) {
      super.onStart(s);
      onConnected.accept(true);
      if (reconnect) {
        LOG.info("watching the runtime's events again");
        // Whatever happened while the stream was down: the engine looks again at once.
        onEvent.accept(new RuntimeEvent("", "", ReplicaRuntime.RECONNECTED));
      }
    }

    @Override
    public void onNext(Event e) {
      failures.set(0);
      Map<String, String> attributes =
          e.getActor() == null || e.getActor().getAttributes() == null
              ? Map.of()
              : e.getActor().getAttributes();
      onEvent.accept(
          new RuntimeEvent(
              e.getId() == null ? "" : e.getId(),
              attributes.getOrDefault("name", ""),
              e.getAction() == null ? String.valueOf(e.getStatus()) : e.getAction()));
    }

    @Override
    public void onError(Throwable t) {
      super.onError(t);
      ended(t);
    }

    @Override
    public void onComplete() {
      super.onComplete();
      ended(new IOException("the event stream ended"));
    }

    void ended(Throwable cause) {
      if (ended.compareAndSet(false, true)) {
        broken(cause);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    onConnected.accept(false);
    retry.shutdownNow();
    Closeable s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing the event stream: {}", e.toString());
      }
    }
  }
}
