package dev.dockscale.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dockscale.engine.Json;
import dev.dockscale.engine.LoggedDecision;
import dev.dockscale.engine.Pass;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/events}: server-sent events, {@code tick} after every deciding pass (a summary per
 * service) and {@code decision} with every decision. Sent on a thread of its own, so a slow client
 * never holds the loop back; past {@link #BACKLOG} unsent events the oldest are dropped.
 */
final class EventStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  static final int BACKLOG = 256;

  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final ThreadPoolExecutor sender =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(BACKLOG),
          r -> {
            Thread t = new Thread(r, "dockscale-api-events");
            t.setDaemon(true);
            return t;
          },
          new ThreadPoolExecutor.DiscardOldestPolicy());

  void join(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
  }

  void pass(Pass pass) {
    if (pass.deciding()) {
      send("tick", Map.of("services", pass.services().stream().map(Views::tick).toList()));
    }
  }

  void decision(LoggedDecision d) {
    send("decision", d);
  }

  private void send(String event, Object data) {
    if (clients.isEmpty() || sender.isShutdown()) {
      return;
    }
    String json;
    try {
      json = Json.mapper().writeValueAsString(data);
    } catch (JsonProcessingException e) {
      LOG.warn("event {} not sent: {}", event, e.getMessage());
      return;
    }
    sender.execute(
        () -> {
          for (SseClient c : clients) {
            if (c.terminated()) {
              clients.remove(c);
            } else {
              c.sendEvent(event, json);
            }
          }
        });
  }

  @Override
  public void close() {
    sender.shutdownNow();
    clients.forEach(SseClient::close);
    clients.clear();
  }
}
