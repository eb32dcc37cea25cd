package dev.dockscale.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dockscale.engine.Json;
import dev.dockscale.engine.LoggedDecision;
import dev.dockscale.engine.Pass;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/events}: server-sent events, {@code tick} after every deciding pass (a summary per
 * service) and {@code decision} with every decision.
 *
 * <p>Each client has its own queue of at most {@link #BACKLOG} events (past that its oldest are
 * dropped) and its own sender thread: a write blocks only the client it is for, so a client that
 * stops reading neither holds the loop back nor starves the other clients. The route has no token,
 * so at most {@link #MAX_CLIENTS} clients are served at once (the next is answered 503), and a
 * quiet stream gets a comment every {@link #KEEP_ALIVE}, which also finds clients that are gone.
 */
final class EventStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  static final int BACKLOG = 256;
  static final int MAX_CLIENTS = 32;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private record Event(String name, String data) {}

  private final int maxClients;
  private final Duration keepAlive;
  private final Semaphore slots;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  EventStream() {
    this(MAX_CLIENTS, KEEP_ALIVE);
  }

  EventStream(int maxClients, Duration keepAlive) {
    this.maxClients = maxClients;
    this.keepAlive = keepAlive;
    this.slots = new Semaphore(maxClients);
  }

  /**
   * Takes a client's place before its stream opens (while a status can still be answered); {@link
   * #join} then uses it.
   *
   * @throws ApiException 503 when {@link #MAX_CLIENTS} clients are served
   */
  void admit() {
    if (closed || !slots.tryAcquire()) {
      throw new ApiException(
          503,
          null,
          "the event stream serves at most "
              + maxClients
              + " clients at once and has them: close one, or read /api/v1/decisions instead");
    }
  }

  void join(SseClient client) {
    Subscriber s = new Subscriber(client);
    client.keepAlive();
    client.onClose(s::stop);
    subscribers.add(s);
    s.thread.start();
  }

  void pass(Pass pass) {
    if (pass.deciding()) {
      send("tick", Map.of("services", pass.services().stream().map(Views::tick).toList()));
    }
  }

  void decision(LoggedDecision d) {
    send("decision", d);
  }

  private void send(String name, Object data) {
    if (subscribers.isEmpty() || closed) {
      return;
    }
    String json;
    try {
      json = Json.mapper().writeValueAsString(data);
    } catch (JsonProcessingException e) {
      LOG.warn("event {} not sent: {}", name, e.getMessage());
      return;
    }
    Event event = new Event(name, json);
    subscribers.forEach(s -> s.offer(event));
  }

  /** One client: its queue and the thread that writes to it. */
  private final class Subscriber {
    private final SseClient client;
    private final BlockingDeque<Event> queue = new LinkedBlockingDeque<>(BACKLOG);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;

    Subscriber(SseClient client) {
      this.client = client;
      this.thread = new Thread(this::run, "dockscale-api-events");
      thread.setDaemon(true);
    }

    /** Queues {@code e}; a client too slow for {@link #BACKLOG} events loses the oldest. */
    void offer(Event e) {
      while (!queue.offerLast(e)) {
        queue.pollFirst();
      }
    }

    private void run() {
      try {
        while (!stopped.get() && !client.terminated()) {
          Event e = queue.pollFirst(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
          if (e == null) {
            client.sendComment("keep-alive");
          } else {
            client.sendEvent(e.name(), e.data());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.debug("event client gone: {}", e.toString());
      } finally {
        stop();
      }
    }

    /** Once: frees the client's place and ends its thread. */
    void stop() {
      if (stopped.compareAndSet(false, true)) {
        subscribers.remove(this);
        slots.release();
        thread.interrupt();
        client.close();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    subscribers.forEach(Subscriber::stop);
  }
}
