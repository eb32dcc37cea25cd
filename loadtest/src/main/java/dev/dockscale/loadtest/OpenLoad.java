package dev.dockscale.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-model HTTP load: requests arrive at a rate that is a function of time, and a slow server
 * delays nobody's next request, so demand above capacity shows as latency, timeouts and drops
 * instead of being hidden as in a closed loop ({@link LoadGenerator}).
 *
 * <p>One thread sends each request at its intended time ({@link Arrivals}) with the JDK's
 * asynchronous HTTP client: no thread per request. It costs about one core at 2,000 requests/s on
 * this project's machine; Apache HttpClient 5's async client cost about half as much but reported
 * failures of its own (requests on pooled connections the server had closed) that would have been
 * counted against the server. When the machine is too busy to keep up, {@link
 * OpenLoadResult#sendLag()} grows: read it before the server's figures. Latency is measured from
 * the intended time, so a late send counts against the answer. The requests in flight are capped;
 * an arrival that would exceed the cap is counted as dropped at the client, never skipped silently.
 * The load ends by itself after its duration or its request count, and it only sends to loopback
 * addresses.
 *
 * <pre>{@code
 * try (OpenLoad load = OpenLoad.to(URI.create("http://127.0.0.1:8080/"))
 *     .rate(ArrivalRate.step(50, 200, 10, 20)).lasting(Duration.ofSeconds(30)).start()) {
 *   OpenLoadResult result = load.awaitResult();
 * }
 * }</pre>
 */
public final class OpenLoad implements AutoCloseable {

  private final URI target;
  private final Arrivals arrivals;
  private final long maxRequests;
  private final Duration timeout;
  private final Duration slo;
  private final int maxInFlight;
  private final boolean resend;
  private final Semaphore inFlight;
  private final ExecutorService callbacks;
  private final HttpClient client;
  private final HttpClient resendClient;
  private final Thread dispatcher;

  private final LongAdder sent = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder resent = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Histogram latencies = Latencies.newHistogram();
  private final Histogram sendLag = Latencies.newHistogram();
  private volatile long startNanos;
  private volatile boolean stopped;

  private OpenLoad(Builder b) {
    this.target = b.target;
    this.arrivals = Arrivals.of(b.spacing, b.rate, b.duration.toNanos() / 1e9, b.seed);
    this.maxRequests = b.maxRequests;
    this.timeout = b.timeout;
    this.slo = b.slo;
    this.maxInFlight = b.maxInFlight;
    this.resend = b.resend;
    this.inFlight = new Semaphore(b.maxInFlight);
    this.callbacks =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "open-load-http");
              t.setDaemon(true);
              return t;
            });
    this.client = newClient(b.timeout, callbacks);
    this.resendClient = newClient(b.timeout, callbacks);
    this.dispatcher = new Thread(this::dispatch, "open-load-dispatch");
    dispatcher.setDaemon(true);
  }

  private static HttpClient newClient(Duration connectTimeout, ExecutorService callbacks) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .executor(callbacks)
        .build();
  }

  /** A load on {@code target}, which must be a loopback address. */
  public static Builder to(URI target) {
    LoadGenerator.requireLoopback(target);
    return new Builder(target);
  }

  private OpenLoad start() {
    startNanos = System.nanoTime();
    dispatcher.start();
    return this;
  }

  private void dispatch() {
    HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
    for (long n = 0; n < maxRequests && !stopped; n++) {
      OptionalDouble at = arrivals.next();
      if (at.isEmpty()) {
        return;
      }
      long intended = startNanos + (long) (at.getAsDouble() * 1e9);
      for (long wait = intended - System.nanoTime(); wait > 0; ) {
        LockSupport.parkNanos(wait);
        if (stopped) {
          return;
        }
        wait = intended - System.nanoTime();
      }
      if (!inFlight.tryAcquire()) {
        dropped.increment();
        continue;
      }
      sendLag.recordValue(Math.max(0, System.nanoTime() - intended) / 1_000);
      sent.increment();
      send(request, intended, false);
    }
  }

  /**
   * Sends the request, and once more, within what is left of its timeout, if the server closed it
   * unanswered ({@link Unanswered}). It stays in flight, and its latency runs from its intended
   * time, until the last try ends.
   */
  private void send(HttpRequest request, long intended, boolean again) {
    long sentAt = System.nanoTime();
    (again ? resendClient : client)
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              Optional<HttpRequest> next =
                  resend && !again && Unanswered.closedBeforeAnswer(error)
                      ? Unanswered.again(request, sentAt)
                      : Optional.empty();
              if (next.isPresent()) {
                resent.increment();
                send(next.get(), intended, true);
                return;
              }
              try {
                record(intended, response, error);
              } finally {
                inFlight.release();
              }
            });
  }

  private void record(long intended, HttpResponse<Void> response, Throwable error) {
    if (response != null && response.statusCode() / 100 == 2) {
      latencies.recordValue((System.nanoTime() - intended) / 1_000);
      ok.increment();
      return;
    }
    if (response != null) {
      failures.computeIfAbsent("status " + response.statusCode(), k -> new LongAdder()).increment();
      return;
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
      timeouts.increment();
    } else {
      failures.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }
  }

  /** True once every arrival was sent or dropped and every request sent was answered or gave up. */
  public boolean finished() {
    return !dispatcher.isAlive() && inFlight.availablePermits() == maxInFlight;
  }

  /** What the load saw so far; consistent in itself while requests are in flight. */
  public OpenLoadResult result() {
    long okNow = ok.sum();
    long timeoutsNow = timeouts.sum();
    Map<String, Long> failuresNow = new TreeMap<>();
    failures.forEach((kind, count) -> failuresNow.put(kind, count.sum()));
    long answered = okNow + timeoutsNow + failuresNow.values().stream().mapToLong(c -> c).sum();
    long sentNow = sent.sum();
    long droppedNow = dropped.sum();
    Histogram latenciesNow = latencies.copy();
    long arrivalsNow = sentNow + droppedNow;
    long withinSlo = latenciesNow.getCountBetweenValues(0, slo.toNanos() / 1_000);
    return new OpenLoadResult(
        sentNow,
        okNow,
        failuresNow,
        timeoutsNow,
        droppedNow,
        sentNow - answered,
        resent.sum(),
        Latencies.of(latenciesNow),
        Latencies.of(sendLag.copy()),
        slo,
        arrivalsNow == 0 ? 0 : Math.min(1, (double) withinSlo / arrivalsNow));
  }

  /**
   * Waits for the load to end by itself (its duration, then at most the timeout for the last
   * answers) and returns what it saw.
   */
  public OpenLoadResult awaitResult() throws InterruptedException {
    dispatcher.join();
    awaitInFlight();
    return result();
  }

  /** Stops sending, waits at most the timeout for the requests in flight, and frees the threads. */
  @Override
  public void close() {
    stopped = true;
    LockSupport.unpark(dispatcher);
    try {
      dispatcher.join(TimeUnit.SECONDS.toMillis(5));
      awaitInFlight();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      callbacks.shutdown();
    }
  }

  private void awaitInFlight() throws InterruptedException {
    long grace = timeout.toMillis() + TimeUnit.SECONDS.toMillis(2);
    if (inFlight.tryAcquire(maxInFlight, grace, TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
    }
  }

  /** The shape of an open-model load; {@link #start()} begins it. */
  public static final class Builder {
    private final URI target;
    private ArrivalRate rate;
    private Duration duration;
    private long maxRequests = 10_000_000;
    private int maxInFlight = 512;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration slo = Duration.ofMillis(500);
    private Arrivals.Spacing spacing = Arrivals.Spacing.POISSON;
    private long seed = 1;
    private boolean resend = true;

    private Builder(URI target) {
      this.target = target;
    }

    /** Requests per second as a function of the seconds since the start (required). */
    public Builder rate(ArrivalRate rate) {
      this.rate = rate;
      return this;
    }

    /** How long arrivals go on (required, at most a day). */
    public Builder lasting(Duration duration) {
      if (duration.isNegative()
          || duration.isZero()
          || duration.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("a load lasts from 1 ns to a day, not " + duration);
      }
      this.duration = duration;
      return this;
    }

    /** At most this many arrivals (default 10,000,000). */
    public Builder maxRequests(long maxRequests) {
      if (maxRequests < 1) {
        throw new IllegalArgumentException("maxRequests must be at least 1, got " + maxRequests);
      }
      this.maxRequests = maxRequests;
      return this;
    }

    /** At most this many requests in flight (1 to 10,000; default 512); beyond, arrivals drop. */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1 || maxInFlight > 10_000) {
        throw new IllegalArgumentException(
            "maxInFlight must be from 1 to 10,000, got " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** How long a request may wait for its answer once sent (default 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The latency bound for {@link OpenLoadResult#withinSlo()} (default 500 ms). */
    public Builder slo(Duration slo) {
      if (slo.isNegative() || slo.isZero()) {
        throw new IllegalArgumentException("slo must be positive, got " + slo);
      }
      this.slo = slo;
      return this;
    }

    /** Arrivals a Poisson process drawn from {@code seed} (the default, seed 1). */
    public Builder poisson(long seed) {
      this.spacing = Arrivals.Spacing.POISSON;
      this.seed = seed;
      return this;
    }

    /**
     * Counts a request the server closed unanswered as failed at once instead of sending it once
     * more ({@link Unanswered}): what a client that never does, as {@code wrk}, sees.
     */
    public Builder neverResend() {
      this.resend = false;
      return this;
    }

    /** Arrivals evenly spaced: one each time the rate's integral grows by one. */
    public Builder evenlySpaced() {
      this.spacing = Arrivals.Spacing.EVEN;
      return this;
    }

    public OpenLoad start() {
      if (rate == null || duration == null) {
        throw new IllegalStateException("an open load needs a rate and a duration");
      }
      return new OpenLoad(this).start();
    }
  }
}
