package dev.dockscale.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * A bounded closed-loop HTTP load: up to {@code maxUsers} virtual users, each sending one request
 * after another. How many are active is asked of a {@link IntSupplier} before every request, so a
 * ramp is a function of time. It stops by itself at {@code maxDuration} or {@code maxRequests}, and
 * it sends only to loopback addresses: load goes to the balancer's published port on this machine
 * and nowhere else.
 */
public final class LoadGenerator implements AutoCloseable {

  private static final Pattern GREETING = Pattern.compile("(?i)hello from ([^\\s!]+)");
  private static final Pattern SERVED_BY = Pattern.compile(" on (\\S+?)( \\(|$)");

  private final URI target;
  private final int maxUsers;
  private final IntSupplier activeUsers;
  private final long maxRequests;
  private final long deadlineNanos;
  private final HttpClient client;
  private final HttpClient resendClient;
  private final ExecutorService users;

  private final LongAdder ok = new LongAdder();
  private final LongAdder resent = new LongAdder();
  private final Histogram latencies = Latencies.newHistogram();
  private final Map<Integer, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byServer = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> noAnswer = new ConcurrentHashMap<>();
  private final java.util.Queue<Long> failedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicLong sent = new AtomicLong();

  /** 2xx answers kept with their times, at most {@link #MAX_TIMED}. */
  private static final int MAX_TIMED = 1_000_000;

  private final java.util.Queue<Answered> answered =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean stopped;

  public LoadGenerator(
      URI target, int maxUsers, IntSupplier activeUsers, Duration maxDuration, long maxRequests) {
    requireLoopback(target);
    if (maxUsers < 1 || maxUsers > 512) {
      throw new IllegalArgumentException("maxUsers must be from 1 to 512, got " + maxUsers);
    }
    this.target = target;
    this.maxUsers = maxUsers;
    this.activeUsers = activeUsers;
    this.maxRequests = maxRequests;
    this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
    this.client = newClient();
    this.resendClient = newClient();
    this.users =
        Executors.newFixedThreadPool(
            maxUsers,
            r -> {
              Thread t = new Thread(r, "load-user");
              t.setDaemon(true);
              return t;
            });
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Refuses any target but 127.0.0.1, written as such. */
  public static void requireLoopback(URI target) {
    // The literal address, not a name: a name is resolved again when the request is sent.
    if (!"127.0.0.1".equals(target.getHost())) {
      throw new IllegalArgumentException(
          "load goes to 127.0.0.1 only (ports published on loopback), not "
              + target
              + "; write http://127.0.0.1:PORT/...");
    }
  }

  public LoadGenerator start() {
    for (int i = 0; i < maxUsers; i++) {
      int user = i;
      users.execute(() -> loop(user));
    }
    return this;
  }

  private void loop(int user) {
    running.incrementAndGet();
    try {
      while (!stopped && System.nanoTime() < deadlineNanos) {
        if (user >= activeUsers.getAsInt()) {
          pause(50);
          continue;
        }
        if (sent.incrementAndGet() > maxRequests) {
          break;
        }
        send();
      }
    } finally {
      running.decrementAndGet();
    }
  }

  private void send() {
    HttpRequest request =
        HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60)).GET().build();
    long start = System.nanoTime();
    try {
      long sentAt = System.nanoTime();
      HttpResponse<String> response = sendOnceMore(request);
      long endedAt = System.nanoTime();
      if (response.statusCode() / 100 == 2) {
        latencies.recordValue((System.nanoTime() - start) / 1_000);
        ok.increment();
        if (answered.size() < MAX_TIMED) {
          answered.add(new Answered(endedAt, endedAt - sentAt));
        }
        String server = serverOf(response.body());
        if (server != null) {
          byServer.computeIfAbsent(server, k -> new LongAdder()).increment();
        }
      } else {
        failures.computeIfAbsent(response.statusCode(), k -> new LongAdder()).increment();
        failedAt(System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    } catch (Exception e) {
      failures.computeIfAbsent(0, k -> new LongAdder()).increment();
      String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (noAnswer.size() < 20 || noAnswer.containsKey(cause)) {
        noAnswer.computeIfAbsent(cause, k -> new LongAdder()).increment();
      }
      failedAt(System.nanoTime());
    }
  }

  /**
   * Sends the request, and once more, within what is left of its timeout, if the server closed it
   * unanswered ({@link Unanswered}).
   */
  private HttpResponse<String> sendOnceMore(HttpRequest request)
      throws IOException, InterruptedException {
    long sentAt = System.nanoTime();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      Optional<HttpRequest> again =
          Unanswered.closedBeforeAnswer(e) ? Unanswered.again(request, sentAt) : Optional.empty();
      if (again.isEmpty()) {
        throw e;
      }
      resent.increment();
      return resendClient.send(again.get(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private void failedAt(long nanos) {
    if (failedAt.size() < 100_000) {
      failedAt.add(nanos);
    }
  }

  /**
   * A 2xx answer: when it ended and how long it took from sending to its last byte ({@link
   * System#nanoTime}).
   */
  public record Answered(long endNanos, long tookNanos) {}

  /** The 2xx answers so far (the first million), in the order they ended, about. */
  public java.util.List<Answered> answered() {
    return java.util.List.copyOf(answered);
  }

  /** When each failed request ended ({@link System#nanoTime}), for checking failure windows. */
  public java.util.List<Long> failureTimes() {
    return java.util.List.copyOf(failedAt);
  }

  /** The replica that answered, from the sample backend's reply ("Hello from X!", "... on X"). */
  static String serverOf(String body) {
    Matcher greeting = GREETING.matcher(body);
    if (greeting.find()) {
      return greeting.group(1);
    }
    Matcher on = SERVED_BY.matcher(body.trim());
    return on.find() ? on.group(1) : null;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long ok() {
    return ok.sum();
  }

  /**
   * Latencies of the 2xx answers so far. In a closed loop a user waits for each answer before the
   * next request, so these hide the demand a slow server turns away: {@link OpenLoad} does not.
   */
  public Latencies latencies() {
    return Latencies.of(latencies.copy());
  }

  /**
   * Non-2xx answers by status; status 0 counts requests that got no answer at all (why: {@link
   * #noAnswerCauses}). A request the server closed unanswered is sent once more first ({@link
   * #resent}), so nginx closing idle kept-alive connections as it reloads is not counted here
   * unless the second try fails too.
   */
  public Map<Integer, Long> failures() {
    Map<Integer, Long> copy = new java.util.TreeMap<>();
    failures.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /**
   * Requests sent once more because the server closed their connection before any byte of an answer
   * (see {@link Unanswered}); each is counted once, in {@link #ok} or {@link #failures}, by how its
   * second try ended, or is still in flight.
   */
  public long resent() {
    return resent.sum();
  }

  /** Why requests got no answer at all (status 0), by exception; the first 20 kinds. */
  public Map<String, Long> noAnswerCauses() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    noAnswer.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  public long failed() {
    return failures.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** 2xx answers by the replica that served them (the original README's awk check). */
  public Map<String, Long> byServer() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    byServer.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  public boolean finished() {
    return running.get() == 0;
  }

  /** Stops every user and waits for the requests in flight. */
  @Override
  public void close() {
    stopped = true;
    users.shutdown();
    try {
      users.awaitTermination(70, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
